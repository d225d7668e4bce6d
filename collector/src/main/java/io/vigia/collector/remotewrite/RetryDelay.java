package io.vigia.collector.remotewrite;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long to wait before sending a failed request again: 250 ms, doubling each attempt up to 30 s,
 * with ±20 % jitter so that collectors that lost the same receiver do not return in step.
 */
final class RetryDelay {

  static final Duration INITIAL = Duration.ofMillis(250);
  static final Duration MAX = Duration.ofSeconds(30);

  private final DoubleSupplier random;

  /**
   * @param random uniform in [0, 1)
   */
  RetryDelay(DoubleSupplier random) {
    this.random = random;
  }

  /** The wait before retry number {@code attempt} (1 for the first retry). */
  Duration before(int attempt) {
    double base = INITIAL.toMillis() * Math.pow(2, Math.min(attempt - 1, 20));
    double capped = Math.min(base, MAX.toMillis());
    double jittered = capped * (0.8 + 0.4 * random.getAsDouble());
    return Duration.ofMillis(Math.round(Math.min(jittered, MAX.toMillis())));
  }
}
