package io.vigia.collector.ingest;

import io.vigia.codec.CompactSnapshots;
import io.vigia.collector.registry.Families;
import io.vigia.proto.CpuSample;
import io.vigia.proto.DiskSample;
import io.vigia.proto.FileSystemSample;
import io.vigia.proto.InterfaceSample;
import io.vigia.proto.MemorySample;
import io.vigia.proto.Snapshot;
import io.vigia.proto.SystemSample;
import java.util.Arrays;

/**
 * The figures of one {@code Snapshot} as they came off the wire, unchecked, in primitive arrays
 * that are reused from one snapshot to the next: the scratch space between the two readers ({@link
 * SnapshotReader} over the frame's bytes, {@link #from} over a parsed message) and the one mapping
 * that checks them into records ({@link FrameMapper#sample(RawSnapshot,
 * io.vigia.collector.registry.HostIdentity, long)}).
 *
 * <p>Field numbers index the value arrays: {@code memory[n - 1]} holds {@code MemorySample} field
 * {@code n}, and bit {@code n} of {@code memoryPresent} says it was on the wire (what {@code
 * hasCachedBytes()} says for an {@code optional} field). uint32 fields are kept as the signed int
 * protobuf makes of them, widened.
 *
 * <p>Not thread-safe: one per link, confined to its event loop.
 */
final class RawSnapshot {

  /** The most values of one kind kept; more are counted only, and rejected by the mapping. */
  static final int MAX_KEPT_DEVICES = Families.MAX_DEVICES;

  static final int MAX_KEPT_CORES = FrameMapper.MAX_CORES;

  long seq;
  long timeMs;
  int intervalMs;
  boolean compactTime;
  long timeSkewMs;
  int intervalSkewMs;
  long spoolDropped;

  boolean hasCpu;
  int busy;
  int coreCount;
  int[] cores = new int[16];

  /** CpuSample fields 3..10 (user .. idle) at 0..7. */
  final int[] modes = new int[CompactSnapshots.MODES];

  int packedModeCount;
  final int[] packedModes = new int[CompactSnapshots.MODES];

  boolean hasMemory;
  final long[] memory = new long[8];
  int memoryPresent;

  boolean hasSystem;
  final long[] system = new long[8];
  int systemPresent;

  int fileSystemCount;
  Device[] fileSystems = new Device[0];
  int diskCount;
  Device[] disks = new Device[0];
  int interfaceCount;
  Device[] interfaces = new Device[0];

  /**
   * One file system, disk or interface: up to three names and ten values by field number ({@code
   * values[n]} is field {@code n}), with a bit per field present. The names' bytes are kept so that
   * the next snapshot's same names are recognised without decoding them again.
   */
  static final class Device {
    final String[] names = new String[3];

    /** The last names the fast reader decoded at this position, and their bytes. */
    final String[] known = new String[3];

    final byte[][] nameBytes = new byte[3][];

    /**
     * The String that last passed the check at each position: a name that is this very object again
     * (the reader reuses known names) needs no new check. By identity, so a name decoded anew, or
     * one whose check was never reached (a snapshot rejected for something before it), is checked.
     */
    final String[] checked = new String[3];

    final long[] values = new long[11];
    int present;

    void clearValues() {
      present = 0;
      Arrays.fill(values, 0);
      names[0] = names[1] = names[2] = "";
    }
  }

  void clear() {
    seq = 0;
    timeMs = 0;
    intervalMs = 0;
    compactTime = false;
    timeSkewMs = 0;
    intervalSkewMs = 0;
    spoolDropped = 0;
    hasCpu = false;
    busy = 0;
    coreCount = 0;
    Arrays.fill(modes, 0);
    packedModeCount = 0;
    hasMemory = false;
    Arrays.fill(memory, 0);
    memoryPresent = 0;
    hasSystem = false;
    Arrays.fill(system, 0);
    systemPresent = 0;
    fileSystemCount = 0;
    diskCount = 0;
    interfaceCount = 0;
  }

  void addCore(int value) {
    if (coreCount < MAX_KEPT_CORES) {
      if (coreCount == cores.length) {
        cores = Arrays.copyOf(cores, Math.min(MAX_KEPT_CORES, cores.length * 2));
      }
      cores[coreCount] = value;
    }
    coreCount++;
  }

  void addPackedMode(int value) {
    if (packedModeCount < packedModes.length) {
      packedModes[packedModeCount] = value;
    }
    packedModeCount++;
  }

  /** The next file system's scratch, or null past the kept ones (it is then only counted). */
  Device nextFileSystem() {
    fileSystems = grow(fileSystems, fileSystemCount);
    return next(fileSystems, fileSystemCount++);
  }

  Device nextDisk() {
    disks = grow(disks, diskCount);
    return next(disks, diskCount++);
  }

  Device nextInterface() {
    interfaces = grow(interfaces, interfaceCount);
    return next(interfaces, interfaceCount++);
  }

  private static Device[] grow(Device[] devices, int count) {
    if (count < devices.length || count >= MAX_KEPT_DEVICES) {
      return devices;
    }
    Device[] grown = Arrays.copyOf(devices, Math.min(MAX_KEPT_DEVICES, Math.max(4, count * 2)));
    for (int i = devices.length; i < grown.length; i++) {
      grown[i] = new Device();
    }
    return grown;
  }

  private static Device next(Device[] devices, int index) {
    if (index >= devices.length) {
      return null;
    }
    Device device = devices[index];
    device.clearValues();
    return device;
  }

  /** Fills {@code raw} from a parsed message: the path for frames the fast reader leaves. */
  static RawSnapshot from(Snapshot s, RawSnapshot raw) {
    raw.clear();
    raw.seq = s.getSeq();
    raw.timeMs = s.getTimeMs();
    raw.intervalMs = s.getIntervalMs();
    raw.compactTime = s.hasTimeSkewMs();
    raw.timeSkewMs = s.getTimeSkewMs();
    raw.intervalSkewMs = s.getIntervalSkewMs();
    raw.spoolDropped = s.getSpoolDropped();
    if (s.hasCpu()) {
      CpuSample c = s.getCpu();
      raw.hasCpu = true;
      raw.busy = c.getBusy();
      for (int i = 0; i < c.getCoreBusyCount(); i++) {
        raw.addCore(c.getCoreBusy(i));
      }
      int[] m = raw.modes;
      m[0] = c.getUser();
      m[1] = c.getNice();
      m[2] = c.getSystem();
      m[3] = c.getIowait();
      m[4] = c.getIrq();
      m[5] = c.getSoftirq();
      m[6] = c.getSteal();
      m[7] = c.getIdle();
      for (int i = 0; i < c.getModesCount(); i++) {
        raw.addPackedMode(c.getModes(i));
      }
    }
    if (s.hasMemory()) {
      MemorySample m = s.getMemory();
      raw.hasMemory = true;
      long[] v = raw.memory;
      v[0] = m.getTotalBytes();
      v[1] = m.getAvailableBytes();
      v[2] = m.getCachedBytes();
      v[3] = m.getBuffersBytes();
      v[4] = m.getSwapTotalBytes();
      v[5] = m.getSwapUsedBytes();
      v[6] = m.getSwapInPagesX100();
      v[7] = m.getSwapOutPagesX100();
      raw.memoryPresent =
          bit(m.hasCachedBytes(), 3)
              | bit(m.hasBuffersBytes(), 4)
              | bit(m.hasSwapInPagesX100(), 7)
              | bit(m.hasSwapOutPagesX100(), 8);
    }
    if (s.hasSystem()) {
      SystemSample y = s.getSystem();
      raw.hasSystem = true;
      long[] v = raw.system;
      v[0] = y.getLoad1X100();
      v[1] = y.getLoad5X100();
      v[2] = y.getLoad15X100();
      v[3] = y.getUptimeSeconds();
      v[4] = y.getProcesses();
      v[5] = y.getThreads();
      v[6] = y.getContextSwitchesX100();
      v[7] = y.getInterruptsX100();
      raw.systemPresent =
          bit(y.hasLoad1X100(), 1)
              | bit(y.hasLoad5X100(), 2)
              | bit(y.hasLoad15X100(), 3)
              | bit(y.hasContextSwitchesX100(), 7)
              | bit(y.hasInterruptsX100(), 8);
    }
    for (FileSystemSample f : s.getFileSystemsList()) {
      Device d = raw.nextFileSystem();
      if (d != null) {
        names(d, f.getMount(), f.getDevice(), f.getType());
        long[] v = d.values;
        v[4] = f.getSizeBytes();
        v[5] = f.getUsedBytes();
        v[6] = f.getFreeBytes();
        v[7] = f.getInodesTotal();
        v[8] = f.getInodesUsed();
      }
    }
    for (DiskSample k : s.getDisksList()) {
      Device d = raw.nextDisk();
      if (d != null) {
        names(d, k.getDevice(), "", "");
        long[] v = d.values;
        v[2] = k.getReadBytesPerS();
        v[3] = k.getWriteBytesPerS();
        v[4] = k.getReadOpsX100();
        v[5] = k.getWriteOpsX100();
        v[6] = k.getBusy();
        d.present =
            bit(k.hasReadBytesPerS(), 2)
                | bit(k.hasWriteBytesPerS(), 3)
                | bit(k.hasReadOpsX100(), 4)
                | bit(k.hasWriteOpsX100(), 5)
                | bit(k.hasBusy(), 6);
      }
    }
    for (InterfaceSample n : s.getInterfacesList()) {
      Device d = raw.nextInterface();
      if (d != null) {
        names(d, n.getName(), "", "");
        long[] v = d.values;
        v[2] = n.getUp() ? 1 : 0;
        v[3] = n.getRxBytesPerS();
        v[4] = n.getTxBytesPerS();
        v[5] = n.getRxPacketsX100();
        v[6] = n.getTxPacketsX100();
        v[7] = n.getRxErrorsX100();
        v[8] = n.getTxErrorsX100();
        v[9] = n.getRxDropsX100();
        v[10] = n.getTxDropsX100();
        d.present =
            bit(n.hasRxBytesPerS(), 3)
                | bit(n.hasTxBytesPerS(), 4)
                | bit(n.hasRxPacketsX100(), 5)
                | bit(n.hasTxPacketsX100(), 6)
                | bit(n.hasRxErrorsX100(), 7)
                | bit(n.hasTxErrorsX100(), 8)
                | bit(n.hasRxDropsX100(), 9)
                | bit(n.hasTxDropsX100(), 10);
      }
    }
    return raw;
  }

  private static void names(Device d, String a, String b, String c) {
    d.names[0] = a;
    d.names[1] = b;
    d.names[2] = c;
    // Strings from a parsed message are new objects: check them all, and forget the bytes of the
    // fast reader's last names, which no longer match the strings held.
  }

  private static int bit(boolean set, int field) {
    return set ? 1 << field : 0;
  }
}
