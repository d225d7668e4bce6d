package io.vigia.agent.sampling;

import java.util.Objects;

/**
 * Cumulative I/O counters of one block device, as the kernel keeps them ({@code /proc/diskstats}).
 *
 * @param busyMillis time with at least one request in flight
 */
public record DiskReading(
    String device, long readBytes, long writeBytes, long reads, long writes, long busyMillis) {

  public DiskReading {
    Objects.requireNonNull(device, "device");
  }
}
