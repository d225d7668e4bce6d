package io.vigia.agent.link;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, as gRPC reconnects: the delay starts at {@code initial}, grows
 * by {@code multiplier} per failure up to {@code max}, and each delay is spread by {@code ±jitter}
 * so a fleet that lost its collector does not come back in lockstep.
 *
 * <p>Not thread-safe: the link's event loop owns it.
 */
final class ExponentialBackoff implements Backoff {

  static final Duration DEFAULT_INITIAL = Duration.ofSeconds(1);
  static final double DEFAULT_MULTIPLIER = 1.6;
  static final double DEFAULT_JITTER = 0.2;
  static final Duration DEFAULT_MAX = Duration.ofSeconds(30);

  private final long initialNanos;
  private final double multiplier;
  private final double jitter;
  private final long maxNanos;
  private final DoubleSupplier random;
  private double nextNanos;

  /**
   * @param random uniform values in [0, 1)
   */
  ExponentialBackoff(
      Duration initial, double multiplier, double jitter, Duration max, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial delay must be positive: " + initial);
    }
    if (multiplier < 1) {
      throw new IllegalArgumentException("multiplier must be at least 1: " + multiplier);
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be within [0, 1): " + jitter);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max delay " + max + " is below the initial " + initial);
    }
    this.initialNanos = initial.toNanos();
    this.multiplier = multiplier;
    this.jitter = jitter;
    this.maxNanos = max.toNanos();
    this.random = random;
    this.nextNanos = initialNanos;
  }

  static ExponentialBackoff withDefaults(DoubleSupplier random) {
    return new ExponentialBackoff(
        DEFAULT_INITIAL, DEFAULT_MULTIPLIER, DEFAULT_JITTER, DEFAULT_MAX, random);
  }

  @Override
  public Duration nextDelay() {
    double base = nextNanos;
    nextNanos = Math.min(nextNanos * multiplier, maxNanos);
    double spread = base * jitter * (2 * random.getAsDouble() - 1);
    return Duration.ofNanos(Math.round(base + spread));
  }

  @Override
  public void reset() {
    nextNanos = initialNanos;
  }
}
