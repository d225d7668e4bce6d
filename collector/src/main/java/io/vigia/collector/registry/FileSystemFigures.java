package io.vigia.collector.registry;

import java.util.Objects;

/** Space and inodes of one mounted file system in one sample, in bytes and inodes. */
public record FileSystemFigures(
    String mount,
    String device,
    String type,
    long sizeBytes,
    long usedBytes,
    long freeBytes,
    long inodesTotal,
    long inodesUsed) {

  public FileSystemFigures {
    Objects.requireNonNull(mount, "mount");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(type, "type");
  }
}
