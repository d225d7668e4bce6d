package io.vigia.collector.registry;

import java.time.Instant;
import java.util.Objects;

/**
 * One sample of a host, as stored in its history.
 *
 * @param epoch the agent run it belongs to
 * @param seq its position in that run, from 1
 * @param time when the agent took it
 * @param intervalMillis the length of the interval it covers
 * @param cpu CPU utilisation, or null when the sample carried none (an agent told not to sample
 *     CPU, or a round right after a CPU counter reset)
 * @param families memory, load, disks and network, each where present
 */
public record StoredSample(
    long epoch, long seq, Instant time, int intervalMillis, CpuFigures cpu, Families families) {

  public StoredSample {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be positive: " + seq);
    }
    if (intervalMillis < 0) {
      throw new IllegalArgumentException("interval must not be negative: " + intervalMillis);
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(families, "families");
  }

  /** A sample with CPU figures only, as agents before the other families sent. */
  public StoredSample(long epoch, long seq, Instant time, int intervalMillis, CpuFigures cpu) {
    this(epoch, seq, time, intervalMillis, Objects.requireNonNull(cpu, "cpu"), Families.NONE);
  }

  public boolean hasCpu() {
    return cpu != null;
  }
}
