package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

  private static final double NO_JITTER = 0.5;
  private static final double LOWEST = 0.0;
  private static final double HIGHEST = Math.nextDown(1.0);

  /** The delays without jitter: 1 s, ×1.6 per failure, capped at 30 s. */
  private static final List<Duration> UNJITTERED =
      List.of(
          Duration.ofMillis(1000),
          Duration.ofMillis(1600),
          Duration.ofMillis(2560),
          Duration.ofMillis(4096),
          Duration.ofNanos(6_553_600_000L),
          Duration.ofNanos(10_485_760_000L),
          Duration.ofNanos(16_777_216_000L),
          Duration.ofNanos(26_843_545_600L),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30));

  private static List<Duration> delays(Backoff backoff, int n) {
    List<Duration> delays = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      delays.add(backoff.nextDelay());
    }
    return delays;
  }

  @Test
  void withoutJitterDelaysGrowBy1point6FromOneSecondUpToThirtySeconds() {
    Backoff backoff = ExponentialBackoff.withDefaults(() -> NO_JITTER);

    assertThat(delays(backoff, UNJITTERED.size())).isEqualTo(UNJITTERED);
  }

  @Test
  void delayStaysAtThirtySecondsAfterManyFailures() {
    Backoff backoff = ExponentialBackoff.withDefaults(() -> NO_JITTER);
    delays(backoff, 1000);

    assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void lowestRandomShortensTheDelayByTwentyPercent() {
    Backoff backoff = ExponentialBackoff.withDefaults(() -> LOWEST);

    assertThat(delays(backoff, 2)).containsExactly(Duration.ofMillis(800), Duration.ofMillis(1280));
  }

  @Test
  void highestRandomLengthensTheDelayByAlmostTwentyPercent() {
    Backoff backoff = ExponentialBackoff.withDefaults(() -> HIGHEST);

    assertThat(backoff.nextDelay()).isBetween(Duration.ofMillis(1199), Duration.ofMillis(1200));
  }

  @Test
  void everyDelayStaysWithinTwentyPercentOfTheUnjitteredOne() {
    for (double random : new double[] {LOWEST, 0.1, 0.37, 0.5, 0.83, HIGHEST}) {
      List<Duration> jittered =
          delays(ExponentialBackoff.withDefaults(() -> random), UNJITTERED.size());
      for (int i = 0; i < UNJITTERED.size(); i++) {
        long base = UNJITTERED.get(i).toNanos();
        assertThat(jittered.get(i).toNanos())
            .as("delay %d with random %s", i + 1, random)
            .isBetween(base * 8 / 10 - 1, base * 12 / 10 + 1);
      }
    }
  }

  @Test
  void resetStartsOverAtOneSecond() {
    Backoff backoff = ExponentialBackoff.withDefaults(() -> NO_JITTER);
    delays(backoff, 5);

    backoff.reset();

    assertThat(delays(backoff, 2)).containsExactly(Duration.ofSeconds(1), Duration.ofMillis(1600));
  }

  @Test
  void rejectsANonPositiveInitialDelay() {
    assertThatThrownBy(
            () -> new ExponentialBackoff(Duration.ZERO, 1.6, 0.2, Duration.ofSeconds(30), () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial")
        .hasMessageContaining("PT0S");
  }

  @Test
  void rejectsAMultiplierBelowOne() {
    assertThatThrownBy(
            () ->
                new ExponentialBackoff(
                    Duration.ofSeconds(1), 0.9, 0.2, Duration.ofSeconds(30), () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiplier")
        .hasMessageContaining("0.9");
  }

  @Test
  void rejectsJitterOutsideZeroToOne() {
    assertThatThrownBy(
            () ->
                new ExponentialBackoff(
                    Duration.ofSeconds(1), 1.6, -0.1, Duration.ofSeconds(30), () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-0.1");
    assertThatThrownBy(
            () ->
                new ExponentialBackoff(
                    Duration.ofSeconds(1), 1.6, 1.0, Duration.ofSeconds(30), () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jitter");
  }

  @Test
  void rejectsAMaximumBelowTheInitialDelay() {
    assertThatThrownBy(
            () ->
                new ExponentialBackoff(
                    Duration.ofSeconds(10), 1.6, 0.2, Duration.ofSeconds(5), () -> 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT5S")
        .hasMessageContaining("PT10S");
  }
}
