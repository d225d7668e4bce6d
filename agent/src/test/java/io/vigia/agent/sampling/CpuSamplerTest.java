package io.vigia.agent.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class CpuSamplerTest {

  // Columns in CpuMode order.
  private static final int USER = 0;
  private static final int NICE = 1;
  private static final int SYSTEM = 2;
  private static final int IDLE = 3;
  private static final int IOWAIT = 4;
  private static final int IRQ = 5;
  private static final int SOFTIRQ = 6;
  private static final int STEAL = 7;

  /** Hands out canned readings in order, and the nanosecond ticks that go with them. */
  private static final class Canned implements CpuTicksSource, LongSupplier {
    private final Deque<long[][]> readings = new ArrayDeque<>();
    private final Deque<Long> nanos = new ArrayDeque<>();

    Canned then(long atNanos, long[]... cores) {
      readings.add(cores);
      nanos.add(atNanos);
      return this;
    }

    @Override
    public long[][] coreTicks() {
      long[][] next = readings.remove();
      return Arrays.stream(next).map(long[]::clone).toArray(long[][]::new);
    }

    @Override
    public long getAsLong() {
      return nanos.remove();
    }
  }

  private static long[] ticks(long... byMode) {
    assertThat(byMode).hasSize(CpuMode.COUNT);
    return byMode;
  }

  /** {@code base} plus the given deltas at the given columns: pairs of (column, delta). */
  private static long[] plus(long[] base, long... columnDeltaPairs) {
    long[] result = base.clone();
    for (int i = 0; i < columnDeltaPairs.length; i += 2) {
      result[(int) columnDeltaPairs[i]] += columnDeltaPairs[i + 1];
    }
    return result;
  }

  private static final long[] CORE0_T0 = ticks(10_000, 50, 4_000, 80_000, 700, 30, 60, 0);
  private static final long[] CORE1_T0 = ticks(9_000, 20, 3_500, 82_000, 900, 10, 40, 0);

  // 5 s later: core 0 busy half the time, core 1 a quarter (iowait does not count as busy).
  private static final long[] CORE0_T1 = plus(CORE0_T0, USER, 300, SYSTEM, 200, IDLE, 500);
  private static final long[] CORE1_T1 =
      plus(CORE1_T0, USER, 150, SYSTEM, 100, IDLE, 550, IOWAIT, 200);

  private static final long SECOND = 1_000_000_000L;

  /** Runs one round and returns what it added, or null when it added nothing. */
  private static CpuUsage round(CpuSampler sampler) throws SamplingException {
    Sample.Builder builder = new Sample.Builder();
    sampler.sampleInto(builder);
    return builder.isEmpty() ? null : builder.build(1, Instant.EPOCH, Duration.ofSeconds(5)).cpu();
  }

  @Test
  void firstRoundOnlyTakesTheBaseline() throws SamplingException {
    Canned source = new Canned().then(0, CORE0_T0, CORE1_T0);
    CpuSampler sampler = new CpuSampler(source, source);

    Sample.Builder builder = new Sample.Builder();
    sampler.sampleInto(builder);

    assertThat(builder.isEmpty()).isTrue();
  }

  @Test
  void secondRoundGivesEachCoresBusyShare() throws SamplingException {
    Canned source = new Canned().then(0, CORE0_T0, CORE1_T0).then(5 * SECOND, CORE0_T1, CORE1_T1);
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    assertThat(round(sampler).coreBusy()).containsExactly(500, 250);
  }

  @Test
  void secondRoundGivesTheWholeMachinesBusyShare() throws SamplingException {
    Canned source = new Canned().then(0, CORE0_T0, CORE1_T0).then(5 * SECOND, CORE0_T1, CORE1_T1);
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    // (300 + 200 + 150 + 100) busy of 2000 ticks.
    assertThat(round(sampler).busy()).isEqualTo(375);
  }

  @Test
  void secondRoundSplitsTheWholeMachineByMode() throws SamplingException {
    Canned source = new Canned().then(0, CORE0_T0, CORE1_T0).then(5 * SECOND, CORE0_T1, CORE1_T1);
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    CpuUsage usage = round(sampler);

    // user 450, system 300, idle 1050, iowait 200 of 2000 ticks.
    assertThat(usage.modes()).containsExactly(225, 0, 150, 525, 100, 0, 0, 0);
    assertThat(usage.mode(CpuMode.USER)).isEqualTo(225);
    assertThat(usage.mode(CpuMode.IOWAIT)).isEqualTo(100);
  }

  @Test
  void iowaitCountsAsNotBusy() throws SamplingException {
    long[] t0 = ticks(0, 0, 0, 0, 0, 0, 0, 0);
    Canned source = new Canned().then(0, t0).then(SECOND, plus(t0, IOWAIT, 800, IDLE, 200));
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    CpuUsage usage = round(sampler);

    assertThat(usage.busy()).isZero();
    assertThat(usage.coreBusy()).containsExactly(0);
    assertThat(usage.mode(CpuMode.IOWAIT)).isEqualTo(800);
  }

  @Test
  void niceIrqSoftirqAndStealCountAsBusy() throws SamplingException {
    long[] t0 = ticks(0, 0, 0, 0, 0, 0, 0, 0);
    Canned source =
        new Canned()
            .then(0, t0)
            .then(SECOND, plus(t0, NICE, 100, IRQ, 100, SOFTIRQ, 100, STEAL, 100, IDLE, 600));
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    assertThat(round(sampler).coreBusy()).containsExactly(400);
  }

  @Test
  void busyShareIsRoundedToTheNearestPerMille() throws SamplingException {
    long[] t0 = ticks(0, 0, 0, 0, 0, 0, 0, 0);
    Canned source = new Canned().then(0, t0).then(SECOND, plus(t0, USER, 2, IDLE, 1));
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    assertThat(round(sampler).busy()).isEqualTo(667);
  }

  @Test
  void coreWithoutTicksInTheIntervalReadsAsIdleNotAsAnError() throws SamplingException {
    Canned source =
        new Canned().then(0, CORE0_T0, CORE1_T0).then(SECOND, CORE0_T1, CORE1_T0.clone());
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    assertThat(round(sampler).coreBusy()).containsExactly(500, 0);
  }

  @Test
  void coveredIsTheTickerDifferenceBetweenTheTwoReadings() throws SamplingException {
    Canned source =
        new Canned()
            .then(7 * SECOND, CORE0_T0, CORE1_T0)
            .then(12 * SECOND + 3_000_000, CORE0_T1, CORE1_T1);
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    assertThat(round(sampler).covered()).isEqualTo(Duration.ofMillis(5003));
  }

  @Test
  void counterGoingBackwardsSkipsThatRoundAndTheNextIsRightAgain() throws SamplingException {
    long[] reset0 = ticks(10, 0, 5, 100, 0, 0, 0, 0); // core 0 counters restarted
    Canned source =
        new Canned()
            .then(0, CORE0_T0, CORE1_T0)
            .then(5 * SECOND, reset0, CORE1_T1)
            .then(10 * SECOND, plus(reset0, USER, 100, IDLE, 300), plus(CORE1_T1, USER, 400));
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    assertThat(round(sampler)).as("the round that saw the reset").isNull();
    CpuUsage next = round(sampler);
    assertThat(next.coreBusy()).containsExactly(250, 1000);
    assertThat(next.covered()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void changedCoreCountSkipsThatRoundAndTheNextIsRightAgain() throws SamplingException {
    long[] core2 = ticks(100, 0, 100, 1_000, 0, 0, 0, 0);
    Canned source =
        new Canned()
            .then(0, CORE0_T0, CORE1_T0)
            .then(5 * SECOND, CORE0_T0, CORE1_T0, core2)
            .then(10 * SECOND, CORE0_T1, CORE1_T1, plus(core2, SYSTEM, 100, IDLE, 900));
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    assertThat(round(sampler)).as("the round that saw a third core").isNull();
    assertThat(round(sampler).coreBusy()).containsExactly(500, 250, 100);
  }

  @Test
  void coreGoingOfflineAndBackSkipsOneRoundEachTimeAndReadsIdleWhileOffline()
      throws SamplingException {
    long[] offline = ticks(-1, -1, -1, -1, -1, -1, -1, -1);
    // Core 1 comes back with counters far ahead of where it left: never a delta across its absence.
    long[] back = plus(CORE1_T1, USER, 90_000, IDLE, 90_000);
    Canned source =
        new Canned()
            .then(0, CORE0_T0, CORE1_T0)
            .then(5 * SECOND, CORE0_T1, offline)
            .then(10 * SECOND, plus(CORE0_T1, USER, 500, IDLE, 500), offline)
            .then(15 * SECOND, plus(CORE0_T1, USER, 1000, IDLE, 1000), back)
            .then(20 * SECOND, plus(CORE0_T1, USER, 1500, IDLE, 1500), plus(back, USER, 1000));
    CpuSampler sampler = new CpuSampler(source, source);
    round(sampler);

    assertThat(round(sampler)).as("the round that saw core 1 go").isNull();
    CpuUsage whileOffline = round(sampler);
    assertThat(whileOffline.coreBusy()).containsExactly(500, 0);
    assertThat(whileOffline.busy()).as("the machine is core 0 alone").isEqualTo(500);
    assertThat(round(sampler)).as("the round that saw core 1 come back").isNull();
    assertThat(round(sampler).coreBusy()).containsExactly(500, 1000);
  }

  @Test
  void failingSourceBecomesSamplingExceptionWithTheCause() {
    IllegalStateException cause = new IllegalStateException("/proc/stat unreadable");
    CpuSampler sampler =
        new CpuSampler(
            () -> {
              throw cause;
            },
            () -> 0L);

    assertThatThrownBy(() -> sampler.sampleInto(new Sample.Builder()))
        .isInstanceOf(SamplingException.class)
        .hasCause(cause);
  }

  @Test
  void failedReadKeepsTheEarlierBaseline() throws SamplingException {
    long[][][] readings = {{CORE0_T0, CORE1_T0}, null, {CORE0_T1, CORE1_T1}};
    long[] nanos = {0, 5 * SECOND, 10 * SECOND};
    int[] call = {0};
    CpuSampler sampler =
        new CpuSampler(
            () -> {
              long[][] r = readings[call[0]++];
              if (r == null) {
                throw new IllegalStateException("transient");
              }
              return r;
            },
            () -> nanos[call[0] - 1]);
    round(sampler);
    assertThatThrownBy(() -> round(sampler)).isInstanceOf(SamplingException.class);

    CpuUsage usage = round(sampler);

    assertThat(usage.coreBusy()).containsExactly(500, 250);
    assertThat(usage.covered()).isEqualTo(Duration.ofSeconds(10));
  }
}
