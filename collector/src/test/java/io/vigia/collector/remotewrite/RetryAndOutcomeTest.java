package io.vigia.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryAndOutcomeTest {

  @Test
  void twoHundredsAreDeliveredFiveHundredsAnd429RetriedOther4xxRejected() {
    assertThat(Outcome.of(200)).isEqualTo(Outcome.DELIVERED);
    assertThat(Outcome.of(204)).isEqualTo(Outcome.DELIVERED);
    assertThat(Outcome.of(500)).isEqualTo(Outcome.RETRY);
    assertThat(Outcome.of(503)).isEqualTo(Outcome.RETRY);
    assertThat(Outcome.of(429)).isEqualTo(Outcome.RETRY);
    assertThat(Outcome.of(400)).isEqualTo(Outcome.REJECTED);
    assertThat(Outcome.of(401)).isEqualTo(Outcome.REJECTED);
    assertThat(Outcome.of(404)).isEqualTo(Outcome.REJECTED);
    assertThat(Outcome.of(302)).isEqualTo(Outcome.REJECTED);
  }

  @Test
  void theDelayDoublesFrom250MillisUpTo30Seconds() {
    RetryDelay middle = new RetryDelay(() -> 0.5); // no jitter

    assertThat(middle.before(1)).isEqualTo(Duration.ofMillis(250));
    assertThat(middle.before(2)).isEqualTo(Duration.ofMillis(500));
    assertThat(middle.before(5)).isEqualTo(Duration.ofMillis(4000));
    assertThat(middle.before(8)).isEqualTo(Duration.ofSeconds(30));
    assertThat(middle.before(1000)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void jitterStaysWithinTwentyPercentAndUnderTheCap() {
    assertThat(new RetryDelay(() -> 0.0).before(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(new RetryDelay(() -> 0.999999).before(1)).isEqualTo(Duration.ofMillis(300));
    assertThat(new RetryDelay(() -> 0.999999).before(30)).isEqualTo(Duration.ofSeconds(30));
  }
}
