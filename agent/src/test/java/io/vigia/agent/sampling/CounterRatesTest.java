package io.vigia.agent.sampling;

import static io.vigia.agent.sampling.CounterRates.UNKNOWN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CounterRatesTest {

  private static final long SECOND = 1_000_000_000L;

  private final CounterRates rates = new CounterRates(1, 100);
  private final long[] out = new long[2];

  private long[] round(long nanos, String key, long bytes, long packets) {
    rates.beginRound(nanos);
    rates.update(key, new long[] {bytes, packets}, out);
    rates.endRound();
    return out.clone();
  }

  @Test
  void theFirstReadingOfACounterHasNoRate() {
    assertThat(round(0, "eth0", 1_000, 10)).containsExactly(UNKNOWN, UNKNOWN);
  }

  @Test
  void ratesAreDeltasOverTheRealElapsedTime() {
    round(0, "eth0", 1_000, 10);
    // 5,000 bytes and 7 packets over 2.5 s, not over a nominal interval.
    assertThat(round(2_500_000_000L, "eth0", 6_000, 17)).containsExactly(2_000L, 280L);
  }

  @Test
  void aCounterThatGoesBackwardsSkipsThatIntervalForThatCounterOnly() {
    round(0, "eth0", 10_000, 500);
    // The byte counter was reset (driver reload); packets kept counting.
    assertThat(round(SECOND, "eth0", 300, 510)).containsExactly(UNKNOWN, 1_000L);
    // The next interval is right again, from the reset value.
    assertThat(round(2 * SECOND, "eth0", 1_300, 520)).containsExactly(1_000L, 1_000L);
  }

  @Test
  void aThirtyTwoBitCounterThatWrapsYieldsNoSpike() {
    long nearTop = 0xFFFF_FF00L;
    round(0, "eth0", nearTop, 0);
    assertThat(round(SECOND, "eth0", 0x40, 0)[0]).isEqualTo(UNKNOWN);
    assertThat(round(2 * SECOND, "eth0", 0x140, 0)[0]).isEqualTo(256L);
  }

  @Test
  void anUnknownCounterGivesNoRateAndDoesNotDisturbTheOthers() {
    round(0, "eth0", 1_000, -1);
    assertThat(round(SECOND, "eth0", 2_000, -1)).containsExactly(1_000L, UNKNOWN);
  }

  @Test
  void aDeviceThatVanishesIsForgottenAndStartsAfreshWhenItReturns() {
    round(0, "usb0", 1_000, 0);
    rates.beginRound(SECOND);
    rates.endRound(); // usb0 unplugged
    assertThat(rates.tracked()).isZero();
    // Back with counters that grew meanwhile: no delta across the absence.
    assertThat(round(2 * SECOND, "usb0", 900_000, 0)).containsExactly(UNKNOWN, UNKNOWN);
    assertThat(round(3 * SECOND, "usb0", 901_000, 0)).containsExactly(1_000L, 0L);
  }

  @Test
  void aNewDeviceBesideAKnownOneHasNoRateWhileTheKnownOneHas() {
    round(0, "eth0", 0, 0);
    rates.beginRound(SECOND);
    rates.update("eth0", new long[] {500, 5}, out);
    long[] eth0 = out.clone();
    rates.update("eth1", new long[] {7_000, 70}, out);
    rates.endRound();
    assertThat(eth0).containsExactly(500L, 500L);
    assertThat(out).containsExactly(UNKNOWN, UNKNOWN);
  }

  @Test
  void noElapsedTimeGivesNoRate() {
    round(SECOND, "eth0", 0, 0);
    assertThat(round(SECOND, "eth0", 100, 1)).containsExactly(UNKNOWN, UNKNOWN);
  }

  @Test
  void fractionalEventRatesSurviveInHundredths() {
    round(0, "eth0", 0, 0);
    // One packet in five seconds: 0.2/s, sent as 20.
    assertThat(round(5 * SECOND, "eth0", 0, 1)[1]).isEqualTo(20L);
  }
}
