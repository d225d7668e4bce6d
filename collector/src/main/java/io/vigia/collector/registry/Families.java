package io.vigia.collector.registry;

import java.util.List;

/**
 * The metric families of one sample besides CPU; each absent (null or empty) when the agent did not
 * send it (an older agent, a family it does not sample).
 */
public record Families(
    MemoryFigures memory,
    SystemFigures system,
    List<FileSystemFigures> fileSystems,
    List<DiskFigures> disks,
    List<InterfaceFigures> interfaces) {

  /**
   * The most devices of one kind (file systems, disks, interfaces) a snapshot may carry, and a
   * host's history tracks at once.
   */
  public static final int MAX_DEVICES = 256;

  /** A sample with no family besides CPU. */
  public static final Families NONE = new Families(null, null, List.of(), List.of(), List.of());

  public Families {
    fileSystems = List.copyOf(fileSystems);
    disks = List.copyOf(disks);
    interfaces = List.copyOf(interfaces);
  }
}
