package io.vigia.collector.registry;

import java.util.Objects;

/**
 * I/O of one block device over one interval: bytes per second, operations in hundredths per second,
 * busy time in per-mille. {@code -1} marks a rate the agent could not measure.
 */
public record DiskFigures(
    String device,
    long readBytesPerSec,
    long writeBytesPerSec,
    long readOpsX100,
    long writeOpsX100,
    int busyPerMille) {

  public DiskFigures {
    Objects.requireNonNull(device, "device");
  }
}
