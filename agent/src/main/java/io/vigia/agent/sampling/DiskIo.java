package io.vigia.agent.sampling;

import java.util.Objects;

/**
 * I/O of one block device over one interval, in the wire's units: bytes per second, operations in
 * hundredths per second, busy time in per-mille of the interval. {@code -1} marks a rate that has
 * no valid interval behind it (a device seen for the first time, a counter that went backwards).
 */
public record DiskIo(
    String device,
    long readBytesPerSec,
    long writeBytesPerSec,
    long readOpsX100,
    long writeOpsX100,
    int busyPerMille) {

  public DiskIo {
    Objects.requireNonNull(device, "device");
    if (busyPerMille > 1000) {
      throw new IllegalArgumentException("busy must be at most 1000 per mille: " + busyPerMille);
    }
  }
}
