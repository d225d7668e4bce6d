package io.vigia.collector.registry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The metric families besides CPU in a {@link History}'s chunks: which devices a host has (each
 * gets a small id, whose columns carry the differences from its previous value), the {@link Shape}
 * of each sample, and the encoding of the figures themselves.
 *
 * <p>Every figure is written as the difference from the same column's previous value in the chunk
 * ({@link BitWriter#putFigure}; sizes in bytes with {@link BitWriter#putSizeDelta}, which divides a
 * multiple of 1,024 by it): a figure that did not change costs one bit, a rate that moved a little
 * one to three bytes, and any {@code long} at most 74 bits, so every value comes back exactly.
 * Memory and system figures are 8 columns each; a file system 5 (free space stored as what is
 * neither used nor free, which stays put while used and free move together), a disk 5, an interface
 * 9 (its link state as 0 or 1). The columns' previous values and lengths (9 bytes per column, per
 * device id) are the only per-device state besides its name, and they are also what {@link #latest}
 * reads; the samples' bits live in the {@link History}'s chunks.
 *
 * <p>At most {@link Families#MAX_DEVICES} devices of each kind have an id at once; when a new one
 * finds its kind full, ids that no chunk held any more refers to are freed first, and if none is,
 * the new device is not stored (a host churning through container interfaces keeps its newest ones,
 * its memory bounded). A name that appears twice in one sample gets an id per occurrence.
 *
 * <p>Not thread-safe: its {@link History} guards it (and that history's {@link Host}).
 */
final class FamilyHistory {

  private static final int MEMORY_WIDTH = 8;
  // The first columns of memory and of a file system are sizes in bytes (putSizeDelta).
  private static final int MEMORY_SIZES = 6;
  private static final int FS_SIZES = 3;
  private static final int SYSTEM_WIDTH = 8;
  private static final int FS_WIDTH = 5;
  private static final int DISK_WIDTH = 5;
  private static final int NIC_WIDTH = 9;

  private final DeviceIds fileSystemIds = new DeviceIds(s -> s.fileSystemIds);
  private final DeviceIds diskIds = new DeviceIds(s -> s.diskIds);
  private final DeviceIds interfaceIds = new DeviceIds(s -> s.interfaceIds);
  // The previous value of each column in the open chunk: the base of the next difference.
  private final Columns last = new Columns();
  // The figures of one family or device being written.
  private final long[] row = new long[NIC_WIDTH];

  /** A sample's shape, and its families without the devices that could not get an id. */
  record Resolved(Shape shape, Families kept) {}

  /**
   * The shape of a sample whose families differ in shape from the previous sample's, giving ids to
   * new devices.
   *
   * @param held the shapes of every chunk held, whose devices must keep their ids
   */
  Resolved resolve(boolean cpu, Families f, Iterable<Shape> held) {
    List<FileSystemFigures> fs = new ArrayList<>(f.fileSystems().size());
    List<String> fsNames = new ArrayList<>();
    int[] fsIds = ids(fileSystemIds, f.fileSystems(), FileSystemFigures::mount, held, fs);
    for (FileSystemFigures one : fs) {
      fsNames.add(one.mount());
      fsNames.add(one.device());
      fsNames.add(one.type());
    }
    List<DiskFigures> io = new ArrayList<>(f.disks().size());
    int[] ioIds = ids(diskIds, f.disks(), DiskFigures::device, held, io);
    List<InterfaceFigures> nics = new ArrayList<>(f.interfaces().size());
    int[] nicIds = ids(interfaceIds, f.interfaces(), InterfaceFigures::name, held, nics);
    last.fit(fileSystemIds.limit(), diskIds.limit(), interfaceIds.limit());
    Shape shape =
        new Shape(
            cpu,
            f.memory() != null,
            f.system() != null,
            fsNames.toArray(String[]::new),
            fsIds,
            io.stream().map(DiskFigures::device).toArray(String[]::new),
            ioIds,
            nics.stream().map(InterfaceFigures::name).toArray(String[]::new),
            nicIds);
    boolean all =
        fs.size() == f.fileSystems().size()
            && io.size() == f.disks().size()
            && nics.size() == f.interfaces().size();
    return new Resolved(shape, all ? f : new Families(f.memory(), f.system(), fs, io, nics));
  }

  private static <T> int[] ids(
      DeviceIds ids,
      List<T> devices,
      Function<T, String> name,
      Iterable<Shape> held,
      List<T> kept) {
    int[] result = new int[devices.size()];
    Map<String, Integer> seen = new HashMap<>();
    int n = 0;
    for (T device : devices) {
      String key = name.apply(device);
      int occurrence = seen.merge(key, 1, Integer::sum) - 1;
      if (occurrence > 0) {
        key = key + '\u0000' + occurrence;
      }
      int id = ids.id(key, held, result, n);
      if (id >= 0) {
        result[n++] = id;
        kept.add(device);
      }
    }
    return n == result.length ? result : Arrays.copyOf(result, n);
  }

  /** Writes the figures of a sample of this shape ({@code f} as {@link #resolve} kept it). */
  void write(Shape shape, Families f, BitWriter out) {
    long[] row = this.row;
    Columns c = last;
    if (shape.memory) {
      MemoryFigures m = f.memory();
      row[0] = m.totalBytes();
      row[1] = m.availableBytes();
      row[2] = m.cachedBytes();
      row[3] = m.buffersBytes();
      row[4] = m.swapTotalBytes();
      row[5] = m.swapUsedBytes();
      row[6] = m.swapInPagesX100();
      row[7] = m.swapOutPagesX100();
      out.putRow(row, c.memory, c.memoryLengths, 0, MEMORY_WIDTH, MEMORY_SIZES);
    }
    if (shape.system) {
      SystemFigures s = f.system();
      row[0] = s.load1X100();
      row[1] = s.load5X100();
      row[2] = s.load15X100();
      row[3] = s.uptimeSeconds();
      row[4] = s.processes();
      row[5] = s.threads();
      row[6] = s.contextSwitchesX100();
      row[7] = s.interruptsX100();
      out.putRow(row, c.system, c.systemLengths, 0, SYSTEM_WIDTH, 0);
    }
    List<FileSystemFigures> fs = f.fileSystems();
    for (int i = 0; i < shape.fileSystemIds.length; i++) {
      FileSystemFigures one = fs.get(i);
      row[0] = one.sizeBytes();
      row[1] = one.usedBytes();
      // What is neither used nor free (the blocks reserved for root) rarely changes, while free
      // moves with used: so that is the column, and free is derived from it on reading.
      row[2] = one.sizeBytes() - one.usedBytes() - one.freeBytes();
      row[3] = one.inodesTotal();
      row[4] = one.inodesUsed();
      out.putRow(
          row,
          c.fileSystems,
          c.fileSystemsLengths,
          shape.fileSystemIds[i] * FS_WIDTH,
          FS_WIDTH,
          FS_SIZES);
    }
    List<DiskFigures> io = f.disks();
    for (int i = 0; i < shape.diskIds.length; i++) {
      DiskFigures one = io.get(i);
      row[0] = one.readBytesPerSec();
      row[1] = one.writeBytesPerSec();
      row[2] = one.readOpsX100();
      row[3] = one.writeOpsX100();
      row[4] = one.busyPerMille();
      out.putRow(row, c.disks, c.disksLengths, shape.diskIds[i] * DISK_WIDTH, DISK_WIDTH, 0);
    }
    List<InterfaceFigures> nics = f.interfaces();
    for (int i = 0; i < shape.interfaceIds.length; i++) {
      InterfaceFigures one = nics.get(i);
      row[0] = one.up() ? 1 : 0;
      row[1] = one.rxBytesPerSec();
      row[2] = one.txBytesPerSec();
      row[3] = one.rxPacketsX100();
      row[4] = one.txPacketsX100();
      row[5] = one.rxErrorsX100();
      row[6] = one.txErrorsX100();
      row[7] = one.rxDropsX100();
      row[8] = one.txDropsX100();
      out.putRow(
          row, c.interfaces, c.interfacesLengths, shape.interfaceIds[i] * NIC_WIDTH, NIC_WIDTH, 0);
    }
  }

  /** A new chunk starts: its first values are written against zeros, as its reader will read. */
  void restart() {
    last.clear();
  }

  /**
   * Makes room in the columns for the device ids of a chunk written by an earlier run, so that
   * {@link #reader()} can read it. Its ids need not be taken: a chunk's columns start from zeros,
   * so a later device may reuse an id without mixing their figures.
   */
  void cover(Shape shape) {
    fileSystemIds.cover(shape.fileSystemIds);
    diskIds.cover(shape.diskIds);
    interfaceIds.cover(shape.interfaceIds);
    last.fit(fileSystemIds.limit(), diskIds.limit(), interfaceIds.limit());
  }

  /** The families of the sample written last, whose shape is given. */
  Families latest(Shape shape) {
    return last.families(shape);
  }

  /** A reader of chunks written by this history, for one read. */
  Reader reader() {
    Columns columns = new Columns();
    columns.fit(fileSystemIds.limit(), diskIds.limit(), interfaceIds.limit());
    return new Reader(columns);
  }

  /** Devices of each kind with an id now; for tests. */
  int trackedDevices() {
    return fileSystemIds.size() + diskIds.size() + interfaceIds.size();
  }

  /** Decodes the families of the samples of chunks, in order, from each chunk's start. */
  static final class Reader {
    private final Columns columns;

    private Reader(Columns columns) {
      this.columns = columns;
    }

    void restart() {
      columns.clear();
    }

    /** The next sample's families; null (but read) if {@code keep} is false. */
    Families read(Shape shape, BitReader in, boolean keep) {
      Columns k = columns;
      if (shape.memory) {
        read(in, k.memory, k.memoryLengths, 0, MEMORY_SIZES, MEMORY_WIDTH);
      }
      if (shape.system) {
        read(in, k.system, k.systemLengths, 0, 0, SYSTEM_WIDTH);
      }
      for (int id : shape.fileSystemIds) {
        read(in, k.fileSystems, k.fileSystemsLengths, id * FS_WIDTH, FS_SIZES, FS_WIDTH);
      }
      for (int id : shape.diskIds) {
        read(in, k.disks, k.disksLengths, id * DISK_WIDTH, 0, DISK_WIDTH);
      }
      for (int id : shape.interfaceIds) {
        read(in, k.interfaces, k.interfacesLengths, id * NIC_WIDTH, 0, NIC_WIDTH);
      }
      return keep ? k.families(shape) : null;
    }

    private static void read(BitReader in, long[] c, byte[] lengths, int at, int sizes, int width) {
      in.readRow(c, lengths, at, width, sizes);
    }
  }

  /**
   * One value per column, the previous value of each while writing and the current while reading,
   * and the bit length of its last difference ({@link BitWriter#putFigure}).
   */
  private static final class Columns {
    final long[] memory = new long[MEMORY_WIDTH];
    final byte[] memoryLengths = new byte[MEMORY_WIDTH];
    final long[] system = new long[SYSTEM_WIDTH];
    final byte[] systemLengths = new byte[SYSTEM_WIDTH];
    long[] fileSystems = new long[0];
    byte[] fileSystemsLengths = new byte[0];
    long[] disks = new long[0];
    byte[] disksLengths = new byte[0];
    long[] interfaces = new long[0];
    byte[] interfacesLengths = new byte[0];

    void fit(int fsIds, int diskIds, int nicIds) {
      if (fileSystems.length < fsIds * FS_WIDTH) {
        fileSystems = Arrays.copyOf(fileSystems, fsIds * FS_WIDTH);
        fileSystemsLengths = Arrays.copyOf(fileSystemsLengths, fsIds * FS_WIDTH);
      }
      if (disks.length < diskIds * DISK_WIDTH) {
        disks = Arrays.copyOf(disks, diskIds * DISK_WIDTH);
        disksLengths = Arrays.copyOf(disksLengths, diskIds * DISK_WIDTH);
      }
      if (interfaces.length < nicIds * NIC_WIDTH) {
        interfaces = Arrays.copyOf(interfaces, nicIds * NIC_WIDTH);
        interfacesLengths = Arrays.copyOf(interfacesLengths, nicIds * NIC_WIDTH);
      }
    }

    void clear() {
      Arrays.fill(memory, 0);
      Arrays.fill(system, 0);
      Arrays.fill(fileSystems, 0);
      Arrays.fill(disks, 0);
      Arrays.fill(interfaces, 0);
      Arrays.fill(memoryLengths, (byte) 0);
      Arrays.fill(systemLengths, (byte) 0);
      Arrays.fill(fileSystemsLengths, (byte) 0);
      Arrays.fill(disksLengths, (byte) 0);
      Arrays.fill(interfacesLengths, (byte) 0);
    }

    Families families(Shape shape) {
      if (!shape.memory
          && !shape.system
          && shape.fileSystemIds.length == 0
          && shape.diskIds.length == 0
          && shape.interfaceIds.length == 0) {
        return Families.NONE;
      }
      long[] c = memory;
      MemoryFigures m =
          shape.memory ? new MemoryFigures(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]) : null;
      c = system;
      SystemFigures s =
          shape.system
              ? new SystemFigures(
                  (int) c[0], (int) c[1], (int) c[2], c[3], (int) c[4], (int) c[5], c[6], c[7])
              : null;
      FileSystemFigures[] fs = new FileSystemFigures[shape.fileSystemIds.length];
      for (int i = 0; i < fs.length; i++) {
        int at = shape.fileSystemIds[i] * FS_WIDTH;
        c = fileSystems;
        fs[i] =
            new FileSystemFigures(
                shape.fileSystems[3 * i],
                shape.fileSystems[3 * i + 1],
                shape.fileSystems[3 * i + 2],
                c[at],
                c[at + 1],
                c[at] - c[at + 1] - c[at + 2],
                c[at + 3],
                c[at + 4]);
      }
      DiskFigures[] io = new DiskFigures[shape.diskIds.length];
      for (int i = 0; i < io.length; i++) {
        int at = shape.diskIds[i] * DISK_WIDTH;
        c = disks;
        io[i] =
            new DiskFigures(
                shape.disks[i], c[at], c[at + 1], c[at + 2], c[at + 3], (int) c[at + 4]);
      }
      InterfaceFigures[] nics = new InterfaceFigures[shape.interfaceIds.length];
      for (int i = 0; i < nics.length; i++) {
        int at = shape.interfaceIds[i] * NIC_WIDTH;
        c = interfaces;
        nics[i] =
            new InterfaceFigures(
                shape.interfaces[i],
                c[at] != 0,
                c[at + 1],
                c[at + 2],
                c[at + 3],
                c[at + 4],
                c[at + 5],
                c[at + 6],
                c[at + 7],
                c[at + 8]);
      }
      return new Families(m, s, List.of(fs), List.of(io), List.of(nics));
    }
  }

  /** The ids of one kind of device, by name, at most {@link Families#MAX_DEVICES} at once. */
  private static final class DeviceIds {
    private final Map<String, Integer> byName = new HashMap<>();
    private final BitSet taken = new BitSet();
    private final Function<Shape, int[]> idsIn;
    private int limit;

    DeviceIds(Function<Shape, int[]> idsIn) {
      this.idsIn = idsIn;
    }

    /**
     * The device's id, given now if new; -1 if the kind is full of devices still referred to.
     *
     * @param pending ids already given to the sample being resolved (the first {@code n})
     */
    int id(String key, Iterable<Shape> held, int[] pending, int n) {
      Integer id = byName.get(key);
      if (id != null) {
        return id;
      }
      if (byName.size() >= Families.MAX_DEVICES) {
        freeUnreferenced(held, pending, n);
        if (byName.size() >= Families.MAX_DEVICES) {
          return -1;
        }
      }
      int free = taken.nextClearBit(0);
      taken.set(free);
      byName.put(key, free);
      limit = Math.max(limit, free + 1);
      return free;
    }

    private void freeUnreferenced(Iterable<Shape> held, int[] pending, int n) {
      BitSet live = new BitSet();
      for (Shape shape : held) {
        for (int id : idsIn.apply(shape)) {
          live.set(id);
        }
      }
      for (int i = 0; i < n; i++) {
        live.set(pending[i]);
      }
      for (Iterator<Integer> it = byName.values().iterator(); it.hasNext(); ) {
        int id = it.next();
        if (!live.get(id)) {
          it.remove();
          taken.clear(id);
        }
      }
    }

    void cover(int[] ids) {
      for (int id : ids) {
        limit = Math.max(limit, id + 1);
      }
    }

    /** One past the highest id ever given: the size of the columns. */
    int limit() {
      return limit;
    }

    int size() {
      return byName.size();
    }
  }
}
