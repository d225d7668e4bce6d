package io.vigia.collector.registry;

import java.util.Arrays;
import java.util.List;

/**
 * What a stored sample holds, without its numbers: whether it has CPU, memory and system figures,
 * and which devices of each kind (their names, file system labels and the ids their columns have in
 * the {@link FamilyHistory}), in the order the agent sent them. Consecutive samples of a host
 * nearly always share one, so a chunk stores one bit per sample for it and its few shapes beside
 * the bits.
 *
 * <p>Immutable: shared by the chunks that use it.
 */
final class Shape {

  static final Shape EMPTY =
      new Shape(
          false,
          false,
          false,
          new String[0],
          new int[0],
          new String[0],
          new int[0],
          new String[0],
          new int[0]);

  final boolean cpu;
  final boolean memory;
  final boolean system;
  // Per file system: mount, device, type.
  final String[] fileSystems;
  final int[] fileSystemIds;
  final String[] disks;
  final int[] diskIds;
  final String[] interfaces;
  final int[] interfaceIds;

  Shape(
      boolean cpu,
      boolean memory,
      boolean system,
      String[] fileSystems,
      int[] fileSystemIds,
      String[] disks,
      int[] diskIds,
      String[] interfaces,
      int[] interfaceIds) {
    this.cpu = cpu;
    this.memory = memory;
    this.system = system;
    this.fileSystems = fileSystems;
    this.fileSystemIds = fileSystemIds;
    this.disks = disks;
    this.diskIds = diskIds;
    this.interfaces = interfaces;
    this.interfaceIds = interfaceIds;
  }

  /** Whether a sample with this CPU presence and these families has this shape. */
  boolean matches(boolean hasCpu, Families f) {
    if (cpu != hasCpu || memory != (f.memory() != null) || system != (f.system() != null)) {
      return false;
    }
    List<FileSystemFigures> fs = f.fileSystems();
    List<DiskFigures> io = f.disks();
    List<InterfaceFigures> nics = f.interfaces();
    if (fs.size() != fileSystemIds.length
        || io.size() != diskIds.length
        || nics.size() != interfaceIds.length) {
      return false;
    }
    for (int i = 0; i < fileSystemIds.length; i++) {
      FileSystemFigures one = fs.get(i);
      if (!one.mount().equals(fileSystems[3 * i])
          || !one.device().equals(fileSystems[3 * i + 1])
          || !one.type().equals(fileSystems[3 * i + 2])) {
        return false;
      }
    }
    for (int i = 0; i < diskIds.length; i++) {
      if (!io.get(i).device().equals(disks[i])) {
        return false;
      }
    }
    for (int i = 0; i < interfaceIds.length; i++) {
      if (!nics.get(i).name().equals(interfaces[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s
        && cpu == s.cpu
        && memory == s.memory
        && system == s.system
        && Arrays.equals(fileSystems, s.fileSystems)
        && Arrays.equals(fileSystemIds, s.fileSystemIds)
        && Arrays.equals(disks, s.disks)
        && Arrays.equals(diskIds, s.diskIds)
        && Arrays.equals(interfaces, s.interfaces)
        && Arrays.equals(interfaceIds, s.interfaceIds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(fileSystems) * 31
        + Arrays.hashCode(disks) * 17
        + Arrays.hashCode(interfaces)
        + (cpu ? 1 : 0)
        + (memory ? 2 : 0)
        + (system ? 4 : 0);
  }
}
