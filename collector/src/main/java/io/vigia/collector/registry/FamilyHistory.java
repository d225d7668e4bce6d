package io.vigia.collector.registry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metric families besides CPU for the slots of one {@link History} ring, in primitive columns:
 * a fixed set of {@code long} columns for memory and for load, and per device (mount, disk,
 * interface) a set of columns of its own, created when the device first appears.
 *
 * <p>Every write to a slot gets a new write number; a column's value at a slot is valid only if the
 * column's stamp there equals the slot's write number. So a slot that is overwritten needs no
 * clearing, and a device missing from a sample simply has a stale stamp at that slot. Columns are
 * allocated on first use: a host whose agent sends only CPU costs one {@code long} per slot here.
 *
 * <p>Memory cost per slot: 8 longs each for memory and load, and per device 5 to 8 longs plus its
 * stamp. At the default 720 slots a device costs about 50 KiB. At most {@link #MAX_DEVICES} devices
 * of each kind are tracked; columns of devices with no live slot left make room for new ones.
 *
 * <p>Not thread-safe: its {@link Host} guards it.
 */
final class FamilyHistory {

  static final int MAX_DEVICES = 256;

  private static final int MEMORY_WIDTH = 8;
  private static final int SYSTEM_WIDTH = 8;
  private static final int FS_WIDTH = 5;
  private static final int DISK_WIDTH = 5;
  private static final int NIC_WIDTH = 9;

  private final int capacity;
  private final long[] written;
  private long writes;
  private Columns memory;
  private Columns system;
  private final Map<String, Device> fileSystems = new LinkedHashMap<>();
  private final Map<String, Device> disks = new LinkedHashMap<>();
  private final Map<String, Device> interfaces = new LinkedHashMap<>();

  /** A fixed set of columns: {@code width} values per slot, plus the stamp per slot. */
  private static final class Columns {
    final long[] values;
    final long[] stamp;
    final int width;

    Columns(int capacity, int width) {
      this.values = new long[Math.multiplyExact(capacity, width)];
      this.stamp = new long[capacity];
      this.width = width;
    }

    void write(int slot, long writeNo, long... row) {
      System.arraycopy(row, 0, values, slot * width, width);
      stamp[slot] = writeNo;
    }

    long get(int slot, int column) {
      return values[slot * width + column];
    }
  }

  /** One device's columns, and the texts that describe it (its latest ones). */
  private static final class Device {
    final Columns columns;
    String[] labels;

    Device(int capacity, int width) {
      this.columns = new Columns(capacity, width);
    }
  }

  FamilyHistory(int capacity) {
    this.capacity = capacity;
    this.written = new long[capacity];
  }

  void write(int slot, Families families) {
    long writeNo = ++writes;
    written[slot] = writeNo;
    MemoryFigures m = families.memory();
    if (m != null) {
      if (memory == null) {
        memory = new Columns(capacity, MEMORY_WIDTH);
      }
      memory.write(
          slot,
          writeNo,
          m.totalBytes(),
          m.availableBytes(),
          m.cachedBytes(),
          m.buffersBytes(),
          m.swapTotalBytes(),
          m.swapUsedBytes(),
          m.swapInPagesX100(),
          m.swapOutPagesX100());
    }
    SystemFigures s = families.system();
    if (s != null) {
      if (system == null) {
        system = new Columns(capacity, SYSTEM_WIDTH);
      }
      system.write(
          slot,
          writeNo,
          s.load1X100(),
          s.load5X100(),
          s.load15X100(),
          s.uptimeSeconds(),
          s.processes(),
          s.threads(),
          s.contextSwitchesX100(),
          s.interruptsX100());
    }
    for (FileSystemFigures fs : families.fileSystems()) {
      Device d = device(fileSystems, fs.mount(), FS_WIDTH);
      if (d != null) {
        d.labels = new String[] {fs.device(), fs.type()};
        d.columns.write(
            slot,
            writeNo,
            fs.sizeBytes(),
            fs.usedBytes(),
            fs.freeBytes(),
            fs.inodesTotal(),
            fs.inodesUsed());
      }
    }
    for (DiskFigures disk : families.disks()) {
      Device d = device(disks, disk.device(), DISK_WIDTH);
      if (d != null) {
        d.columns.write(
            slot,
            writeNo,
            disk.readBytesPerSec(),
            disk.writeBytesPerSec(),
            disk.readOpsX100(),
            disk.writeOpsX100(),
            disk.busyPerMille());
      }
    }
    for (InterfaceFigures nic : families.interfaces()) {
      Device d = device(interfaces, nic.name(), NIC_WIDTH);
      if (d != null) {
        d.columns.write(
            slot,
            writeNo,
            nic.up() ? 1 : 0,
            nic.rxBytesPerSec(),
            nic.txBytesPerSec(),
            nic.rxPacketsX100(),
            nic.txPacketsX100(),
            nic.rxErrorsX100(),
            nic.txErrorsX100(),
            nic.rxDropsX100(),
            nic.txDropsX100());
      }
    }
  }

  Families read(int slot) {
    long writeNo = written[slot];
    if (writeNo == 0) {
      return Families.NONE;
    }
    MemoryFigures m = null;
    if (memory != null && memory.stamp[slot] == writeNo) {
      m =
          new MemoryFigures(
              memory.get(slot, 0),
              memory.get(slot, 1),
              memory.get(slot, 2),
              memory.get(slot, 3),
              memory.get(slot, 4),
              memory.get(slot, 5),
              memory.get(slot, 6),
              memory.get(slot, 7));
    }
    SystemFigures s = null;
    if (system != null && system.stamp[slot] == writeNo) {
      s =
          new SystemFigures(
              (int) system.get(slot, 0),
              (int) system.get(slot, 1),
              (int) system.get(slot, 2),
              system.get(slot, 3),
              (int) system.get(slot, 4),
              (int) system.get(slot, 5),
              system.get(slot, 6),
              system.get(slot, 7));
    }
    List<FileSystemFigures> fs = new ArrayList<>();
    fileSystems.forEach(
        (mount, d) -> {
          if (d.columns.stamp[slot] == writeNo) {
            Columns c = d.columns;
            fs.add(
                new FileSystemFigures(
                    mount,
                    d.labels[0],
                    d.labels[1],
                    c.get(slot, 0),
                    c.get(slot, 1),
                    c.get(slot, 2),
                    c.get(slot, 3),
                    c.get(slot, 4)));
          }
        });
    List<DiskFigures> io = new ArrayList<>();
    disks.forEach(
        (name, d) -> {
          if (d.columns.stamp[slot] == writeNo) {
            Columns c = d.columns;
            io.add(
                new DiskFigures(
                    name,
                    c.get(slot, 0),
                    c.get(slot, 1),
                    c.get(slot, 2),
                    c.get(slot, 3),
                    (int) c.get(slot, 4)));
          }
        });
    List<InterfaceFigures> nics = new ArrayList<>();
    interfaces.forEach(
        (name, d) -> {
          if (d.columns.stamp[slot] == writeNo) {
            Columns c = d.columns;
            nics.add(
                new InterfaceFigures(
                    name,
                    c.get(slot, 0) != 0,
                    c.get(slot, 1),
                    c.get(slot, 2),
                    c.get(slot, 3),
                    c.get(slot, 4),
                    c.get(slot, 5),
                    c.get(slot, 6),
                    c.get(slot, 7),
                    c.get(slot, 8)));
          }
        });
    return new Families(m, s, fs, io, nics);
  }

  /** Devices of each kind with columns now; for tests. */
  int trackedDevices() {
    return fileSystems.size() + disks.size() + interfaces.size();
  }

  /** The device's columns, created if new; null if the kind is full of live devices. */
  private Device device(Map<String, Device> devices, String name, int width) {
    Device d = devices.get(name);
    if (d != null) {
      return d;
    }
    if (devices.size() >= MAX_DEVICES) {
      evictDead(devices);
      if (devices.size() >= MAX_DEVICES) {
        return null;
      }
    }
    d = new Device(capacity, width);
    devices.put(name, d);
    return d;
  }

  /** Drops the columns of devices that no slot in the ring refers to any more. */
  private void evictDead(Map<String, Device> devices) {
    for (Iterator<Device> it = devices.values().iterator(); it.hasNext(); ) {
      long[] stamp = it.next().columns.stamp;
      boolean live = false;
      for (int slot = 0; slot < capacity && !live; slot++) {
        live = stamp[slot] != 0 && stamp[slot] == written[slot];
      }
      if (!live) {
        it.remove();
      }
    }
  }
}
