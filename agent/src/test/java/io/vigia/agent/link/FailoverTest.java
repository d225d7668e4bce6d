package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverTest {

  private static final InetSocketAddress PRIMARY =
      InetSocketAddress.createUnresolved("collector-a", 7070);
  private static final InetSocketAddress SECOND =
      InetSocketAddress.createUnresolved("collector-b", 7070);
  private static final InetSocketAddress THIRD =
      InetSocketAddress.createUnresolved("collector-c", 7070);

  /** Without jitter: 1 s, 1.6 s, 2.56 s, ... up to 30 s. */
  private final Backoff backoff = ExponentialBackoff.withDefaults(() -> 0.5);

  private Failover failover(InetSocketAddress... collectors) {
    return new Failover(List.of(collectors), backoff);
  }

  @Test
  void startsWithThePrimary() {
    Failover failover = failover(PRIMARY, SECOND, THIRD);

    assertThat(failover.target()).isEqualTo(PRIMARY);
    assertThat(failover.onFallback()).isFalse();
  }

  @Test
  void aFailureMovesToTheNextCollectorAtOnce() {
    Failover failover = failover(PRIMARY, SECOND, THIRD);

    assertThat(failover.failed()).isZero();
    assertThat(failover.target()).isEqualTo(SECOND);
    assertThat(failover.onFallback()).isTrue();
    assertThat(failover.failed()).isZero();
    assertThat(failover.target()).isEqualTo(THIRD);
  }

  @Test
  void whenEveryCollectorFailedTheRoundStartsAgainFromThePrimaryAfterABackoff() {
    Failover failover = failover(PRIMARY, SECOND);

    failover.failed();
    Duration wait = failover.failed();

    assertThat(failover.target()).isEqualTo(PRIMARY);
    assertThat(wait).isEqualTo(Duration.ofSeconds(1));
    assertThat(failover.roundFailed()).isTrue();
  }

  @Test
  void backoffGrowsWithEachFailedRound() {
    Failover failover = failover(PRIMARY, SECOND);

    failover.failed();
    failover.failed();
    failover.failed();
    Duration second = failover.failed();

    assertThat(second).isEqualTo(Duration.ofMillis(1600));
  }

  @Test
  void aSingleCollectorIsRetriedAfterABackoffEachTime() {
    Failover failover = failover(PRIMARY);

    assertThat(failover.failed()).isEqualTo(Duration.ofSeconds(1));
    assertThat(failover.failed()).isEqualTo(Duration.ofMillis(1600));
    assertThat(failover.target()).isEqualTo(PRIMARY);
    assertThat(failover.onFallback()).isFalse();
  }

  @Test
  void failuresBeforeAFullRoundAreNotYetReportedAsARoundFailed() {
    Failover failover = failover(PRIMARY, SECOND);

    failover.failed();

    assertThat(failover.roundFailed()).isFalse();
  }

  @Test
  void aWelcomeResetsTheBackoffAndTheRound() {
    Failover failover = failover(PRIMARY, SECOND);
    failover.failed();
    failover.failed();
    failover.failed();
    failover.failed();

    failover.welcomed();

    assertThat(failover.roundFailed()).isFalse();
    assertThat(failover.lost()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aLostLinkOnAFallbackStartsAgainFromThePrimaryAfterABackoff() {
    Failover failover = failover(PRIMARY, SECOND, THIRD);
    failover.failed();
    failover.failed();
    failover.welcomed();

    Duration wait = failover.lost();

    assertThat(failover.target()).isEqualTo(PRIMARY);
    assertThat(wait).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void linksLostOneAfterAnotherWaitLongerEachTime() {
    Failover failover = failover(PRIMARY);

    failover.lost();

    assertThat(failover.lost()).isEqualTo(Duration.ofMillis(1600));
  }

  @Test
  void aLinkLostBecauseAnotherAgentTookTheIdWaitsTheLongestDelayOnce() {
    Failover failover = failover(PRIMARY, SECOND);
    failover.welcomed();

    failover.replaced();

    assertThat(failover.lost()).isEqualTo(Duration.ofSeconds(30));
    assertThat(failover.lost())
        .as("the next loss backs off as usual")
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void thePrimaryIsTheFirstCollectorWhateverTheTarget() {
    Failover failover = failover(PRIMARY, SECOND);

    failover.failed();

    assertThat(failover.primary()).isEqualTo(PRIMARY);
  }

  @Test
  void noCollectorIsRejected() {
    assertThatThrownBy(() -> new Failover(List.of(), backoff))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one collector");
  }
}
