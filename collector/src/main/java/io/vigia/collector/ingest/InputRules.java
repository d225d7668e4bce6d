package io.vigia.collector.ingest;

import java.time.Duration;
import java.util.Objects;

/**
 * The window of sample times a collector accepts, around its own clock. A sample taken more than
 * {@code maxClockSkew} after the collector's now is refused (the agent's clock is ahead); one taken
 * more than {@code maxSampleAge + maxClockSkew} before it is refused too (no spool replays anything
 * that old: the agent's {@code --spool} keeps 7 days by default).
 *
 * <pre>{@code
 * var rules = new InputRules(Duration.ofMinutes(5), Duration.ofDays(7));
 * }</pre>
 *
 * @param maxClockSkew how far an agent's clock may be from the collector's, either way
 * @param maxSampleAge the age of the oldest sample an agent may replay from its spool
 */
public record InputRules(Duration maxClockSkew, Duration maxSampleAge) {

  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  /** The agent's default {@code --spool}. */
  public static final Duration DEFAULT_MAX_SAMPLE_AGE = Duration.ofDays(7);

  /** The longest sampling interval a {@code Hello} may announce. */
  public static final Duration MAX_INTERVAL = Duration.ofDays(1);

  public static final InputRules DEFAULTS =
      new InputRules(DEFAULT_MAX_CLOCK_SKEW, DEFAULT_MAX_SAMPLE_AGE);

  public InputRules {
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    Objects.requireNonNull(maxSampleAge, "maxSampleAge");
    if (maxClockSkew.compareTo(Duration.ofSeconds(1)) < 0
        || maxClockSkew.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("--max-clock-skew must be within 1s..1d");
    }
    if (maxSampleAge.compareTo(Duration.ofMinutes(1)) < 0
        || maxSampleAge.compareTo(Duration.ofDays(3650)) > 0) {
      throw new IllegalArgumentException("--max-sample-age must be within 1m..3650d");
    }
  }

  /** How far back from now a sample may be: the oldest spool plus the clock skew. */
  long maxPastMillis() {
    return maxSampleAge.plus(maxClockSkew).toMillis();
  }
}
