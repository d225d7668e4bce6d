package io.vigia.agent;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * What an agent is told to do; immutable and validated.
 *
 * @param collector the collector's agent port
 * @param interval time between samples
 * @param id the agent id, or null to derive one from the machine id
 * @param token the fleet's shared secret, empty when the collector needs none
 */
public record AgentConfig(InetSocketAddress collector, Duration interval, String id, String token) {

  /** The agent spools up to an hour of samples while the collector is unreachable. */
  static final Duration SPOOL_SPAN = Duration.ofHours(1);

  public AgentConfig {
    Objects.requireNonNull(collector, "collector");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(token, "token");
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    if (id != null && id.isBlank()) {
      throw new IllegalArgumentException("agent id must not be blank");
    }
  }

  /** However long the interval, the spool holds at least this many samples. */
  static final int MIN_SPOOL_SAMPLES = 120;

  /** How many samples make {@link #SPOOL_SPAN} at this interval (never under 120). */
  int spoolCapacity() {
    long samples = SPOOL_SPAN.toMillis() / Math.max(1, interval.toMillis());
    return (int) Math.max(MIN_SPOOL_SAMPLES, Math.min(1_000_000, samples));
  }

  /** The collector is declared silent after three missed intervals, and never under 15 s. */
  Duration silentAfter() {
    Duration threeIntervals = interval.multipliedBy(3);
    Duration floor = Duration.ofSeconds(15);
    return threeIntervals.compareTo(floor) > 0 ? threeIntervals : floor;
  }
}
