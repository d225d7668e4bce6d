package io.vigia.agent.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class SamplingLoopTest {

  /** Long enough that the scheduled rounds never come during a test; sampleNow() drives it. */
  private static final Duration INTERVAL = Duration.ofHours(1);

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final InstantSource CLOCK = InstantSource.fixed(NOW);

  private static final CpuUsage USAGE =
      new CpuUsage(
          375,
          new int[] {500, 250},
          new int[] {225, 0, 150, 525, 100, 0, 0, 0},
          Duration.ofSeconds(5));

  private final Queue<Sample> sent = new ConcurrentLinkedQueue<>();

  /** A ticker that moves 5 s per reading. */
  private static LongSupplier fiveSecondsPerRound() {
    AtomicLong nanos = new AtomicLong();
    return () -> nanos.addAndGet(Duration.ofSeconds(5).toNanos());
  }

  /** Adds {@link #USAGE} every round, and counts its calls. */
  private static final class FixedCpu implements Sampler {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String name() {
      return "cpu";
    }

    @Override
    public void sampleInto(Sample.Builder sample) {
      calls.incrementAndGet();
      sample.cpu(USAGE);
    }
  }

  private static final Sampler FAILING_DISK =
      new Sampler() {
        @Override
        public String name() {
          return "disk";
        }

        @Override
        public void sampleInto(Sample.Builder sample) throws SamplingException {
          throw new SamplingException("cannot read /proc/diskstats", new RuntimeException());
        }
      };

  private SamplingLoop loop(List<Sampler> samplers) {
    return new SamplingLoop(samplers, INTERVAL, CLOCK, fiveSecondsPerRound(), sent::add);
  }

  private static void rounds(SamplingLoop loop, int n)
      throws InterruptedException, ExecutionException {
    for (int i = 0; i < n; i++) {
      loop.sampleNow().get();
    }
  }

  private List<Long> sentSeqs() {
    return sent.stream().map(Sample::seq).toList();
  }

  @Test
  void baselineRoundAtStartSendsNothingButCallsTheSamplers() throws Exception {
    FixedCpu cpu = new FixedCpu();
    try (SamplingLoop loop = loop(List.of(cpu))) {
      loop.start();

      rounds(loop, 1); // queued behind the baseline round

      assertThat(cpu.calls).hasValue(2);
      assertThat(sentSeqs()).containsExactly(1L);
    }
  }

  @Test
  void samplesAreNumberedFromOneWithoutGaps() throws Exception {
    try (SamplingLoop loop = loop(List.of(new FixedCpu()))) {
      loop.start();

      rounds(loop, 3);

      assertThat(sentSeqs()).containsExactly(1L, 2L, 3L);
    }
  }

  @Test
  void roundWithNothingToReportUsesNoSequenceNumber() throws Exception {
    AtomicInteger round = new AtomicInteger();
    Sampler skipsTheSecondRealRound =
        new Sampler() {
          @Override
          public String name() {
            return "cpu";
          }

          @Override
          public void sampleInto(Sample.Builder sample) {
            if (round.incrementAndGet() != 3) {
              sample.cpu(USAGE);
            }
          }
        };
    try (SamplingLoop loop = loop(List.of(skipsTheSecondRealRound))) {
      loop.start();

      rounds(loop, 3);

      assertThat(sentSeqs()).containsExactly(1L, 2L);
    }
  }

  @Test
  void sampleCarriesTheClockTimeTheSinceLastRoundIntervalAndTheFigures() throws Exception {
    try (SamplingLoop loop = loop(List.of(new FixedCpu()))) {
      loop.start();

      rounds(loop, 1);

      assertThat(sent).containsExactly(new Sample(1, NOW, Duration.ofSeconds(5), USAGE));
    }
  }

  @Test
  void failingSamplerIsCountedAndTheOtherSamplersDataStillGoesOut() throws Exception {
    try (SamplingLoop loop = loop(List.of(FAILING_DISK, new FixedCpu()))) {
      loop.start();

      rounds(loop, 2);

      assertThat(loop.failures()).as("baseline round and two more").isEqualTo(3);
      assertThat(sent).hasSize(2).allMatch(s -> USAGE.equals(s.cpu()));
    }
  }

  @Test
  void samplerThrowingARuntimeExceptionIsCountedAndDoesNotStopTheLoop() throws Exception {
    Sampler buggy =
        new Sampler() {
          @Override
          public String name() {
            return "buggy";
          }

          @Override
          public void sampleInto(Sample.Builder sample) {
            throw new IllegalStateException("bug");
          }
        };
    try (SamplingLoop loop = loop(List.of(buggy, new FixedCpu()))) {
      loop.start();

      rounds(loop, 2);

      assertThat(loop.failures()).isEqualTo(3);
      assertThat(sentSeqs()).containsExactly(1L, 2L);
    }
  }

  @Test
  void constructorRejectsNoSamplers() {
    assertThatThrownBy(
            () -> new SamplingLoop(List.of(), INTERVAL, CLOCK, () -> 0L, sent::add).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sampler");
  }

  @Test
  void constructorRejectsANonPositiveIntervalNamingIt() {
    assertThatThrownBy(
            () ->
                new SamplingLoop(List.of(new FixedCpu()), Duration.ZERO, CLOCK, () -> 0L, sent::add)
                    .close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT0S");
  }
}
