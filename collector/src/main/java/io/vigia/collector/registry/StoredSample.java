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
 */
public record StoredSample(long epoch, long seq, Instant time, int intervalMillis, CpuFigures cpu) {

  public StoredSample {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be positive: " + seq);
    }
    if (intervalMillis < 0) {
      throw new IllegalArgumentException("interval must not be negative: " + intervalMillis);
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(cpu, "cpu");
  }
}
