package io.vigia.agent.link;

import io.vigia.proto.Welcome;

/**
 * The agent's side of the collector's snapshot rate limit: a token bucket a little below the rate
 * and burst the collector announced in {@code Welcome}, so that replaying a long spool goes as fast
 * as allowed and never trips the collector's limit (which would close the link).
 *
 * <p>Not thread-safe: the link's event loop owns it.
 */
final class Pace {

  /** For a collector that announces no limit. */
  static final Pace UNLIMITED = new Pace(0, 0, 0);

  /** Stay this far below the announced figures: the two clocks and buckets never agree exactly. */
  private static final double MARGIN = 0.9;

  private final double perNano;
  private final double burst;
  private double tokens;
  private long lastNanos;

  private Pace(double perSecond, double burst, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  static Pace of(Welcome welcome, long nowNanos) {
    if (!(welcome.getMaxSnapshotsPerSecond() > 0) || welcome.getSnapshotBurst() == 0) {
      return UNLIMITED;
    }
    return new Pace(
        welcome.getMaxSnapshotsPerSecond() * MARGIN,
        Math.max(1, Math.floor(welcome.getSnapshotBurst() * MARGIN)),
        nowNanos);
  }

  /** Takes the right to send one snapshot now; false when it must wait. */
  boolean take(long nowNanos) {
    if (perNano == 0) {
      return true;
    }
    tokens = Math.min(burst, tokens + (nowNanos - lastNanos) * perNano);
    lastNanos = nowNanos;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  /** How long until {@link #take} can succeed again. */
  long nanosUntilNext(long nowNanos) {
    if (perNano == 0 || tokens >= 1) {
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / perNano);
  }
}
