package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigia.proto.Welcome;
import org.junit.jupiter.api.Test;

class PaceTest {

  private static final long SECOND = 1_000_000_000L;

  private static Welcome limits(double perSecond, int burst) {
    return Welcome.newBuilder().setMaxSnapshotsPerSecond(perSecond).setSnapshotBurst(burst).build();
  }

  private static int takenAt(Pace pace, long nanos, int attempts) {
    int taken = 0;
    for (int i = 0; i < attempts; i++) {
      if (pace.take(nanos)) {
        taken++;
      }
    }
    return taken;
  }

  @Test
  void aCollectorWithoutLimitsLetsEverythingThrough() {
    Pace pace = Pace.of(Welcome.getDefaultInstance(), 0);

    assertThat(takenAt(pace, 0, 100_000)).isEqualTo(100_000);
  }

  @Test
  void aReplayGoesOutInABurstBelowTheCollectorsThenAtBelowItsRate() {
    Pace pace = Pace.of(limits(10, 3600), 0);

    assertThat(takenAt(pace, 0, 10_000)).as("90 %% of the burst at once").isEqualTo(3240);
    assertThat(takenAt(pace, SECOND, 100)).as("90 %% of 10/s a second later").isEqualTo(9);
    assertThat(takenAt(pace, 11 * SECOND, 1000)).isEqualTo(90);
  }

  @Test
  void tellsHowLongUntilTheNextSnapshotMayGo() {
    Pace pace = Pace.of(limits(10, 10), 0);
    takenAt(pace, 0, 100);

    long wait = pace.nanosUntilNext(0);

    assertThat(wait).isBetween(SECOND / 9 - 1_000, SECOND / 9 + 1_000);
    assertThat(pace.take(wait)).isTrue();
  }
}
