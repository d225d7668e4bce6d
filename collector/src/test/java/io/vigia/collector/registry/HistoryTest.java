package io.vigia.collector.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private static StoredSample sample(long seq, int cores) {
    int[] perCore = new int[cores];
    for (int core = 0; core < cores; core++) {
      perCore[core] = (int) ((seq * 10 + core) % 1001);
    }
    return new StoredSample(
        7,
        seq,
        T0.plusSeconds(seq),
        1000,
        new CpuFigures((int) (seq % 1001), perCore, 1, 2, 3, 4, 5, 6, 7, 8));
  }

  private static List<Long> seqs(List<StoredSample> samples) {
    return samples.stream().map(StoredSample::seq).toList();
  }

  @Test
  void keepsEverySampleInOrderWhileBelowCapacity() {
    History history = new History(5, 2);
    for (long seq = 1; seq <= 3; seq++) {
      history.append(sample(seq, 2));
    }

    assertThat(history.size()).isEqualTo(3);
    assertThat(seqs(history.last(3))).containsExactly(1L, 2L, 3L);
  }

  @Test
  void overwritesTheOldestOnceFull() {
    History history = new History(3, 2);
    for (long seq = 1; seq <= 7; seq++) {
      history.append(sample(seq, 2));
    }

    assertThat(history.size()).isEqualTo(3);
    assertThat(seqs(history.last(3))).containsExactly(5L, 6L, 7L);
  }

  @Test
  void lastReturnsTheNewestSamplesOldestFirst() {
    History history = new History(4, 1);
    for (long seq = 1; seq <= 6; seq++) {
      history.append(sample(seq, 1));
    }

    assertThat(seqs(history.last(2))).containsExactly(5L, 6L);
  }

  @Test
  void lastWithMoreThanHeldReturnsEverything() {
    History history = new History(10, 1);
    history.append(sample(1, 1));
    history.append(sample(2, 1));

    assertThat(seqs(history.last(50))).containsExactly(1L, 2L);
    assertThat(seqs(history.last(Integer.MAX_VALUE))).containsExactly(1L, 2L);
  }

  @Test
  void lastOfAnEmptyHistoryIsEmptyAndThereIsNoLatest() {
    History history = new History(3, 4);

    assertThat(history.last(3)).isEmpty();
    assertThat(history.latest()).isEmpty();
  }

  @Test
  void latestIsTheNewestSampleEvenAfterWrappingAround() {
    History history = new History(3, 2);
    for (long seq = 1; seq <= 4; seq++) {
      history.append(sample(seq, 2));
    }

    assertThat(history.latest()).contains(sample(4, 2));
  }

  @Test
  void perCoreValuesModesTimeAndIntervalRoundTripExactly() {
    History history = new History(2, 4);
    StoredSample stored =
        new StoredSample(
            123_456_789L,
            42,
            Instant.parse("2025-03-01T10:00:05.123Z"),
            4_999,
            new CpuFigures(417, new int[] {0, 1000, 999, 1}, 300, 17, 100, 55, 3, 9, 12, 504));
    history.append(stored);

    StoredSample read = history.last(1).get(0);

    assertThat(read).isEqualTo(stored);
    assertThat(read.cpu().coreBusy()).containsExactly(0, 1000, 999, 1);
    assertThat(read.cpu().user()).isEqualTo(300);
    assertThat(read.cpu().nice()).isEqualTo(17);
    assertThat(read.cpu().system()).isEqualTo(100);
    assertThat(read.cpu().iowait()).isEqualTo(55);
    assertThat(read.cpu().irq()).isEqualTo(3);
    assertThat(read.cpu().softirq()).isEqualTo(9);
    assertThat(read.cpu().steal()).isEqualTo(12);
    assertThat(read.cpu().idle()).isEqualTo(504);
  }

  @Test
  void rejectsASampleWithAnotherCoreCountAndKeepsWhatItHad() {
    History history = new History(3, 4);
    history.append(sample(1, 4));

    assertThatThrownBy(() -> history.append(sample(2, 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 cores");
    assertThat(seqs(history.last(3))).containsExactly(1L);
  }

  @Test
  void sizeAndLastStayExactWhileTheRingDropsWholeChunks() {
    History history = new History(100, 2);
    for (long seq = 1; seq <= 1000; seq++) {
      history.append(sample(seq, 2));

      assertThat(history.size()).isEqualTo((int) Math.min(seq, 100));
      assertThat(history.heldSamples()).isLessThan(100 + History.CHUNK_SAMPLES);
    }

    assertThat(seqs(history.last(100))).isEqualTo(range(901, 1000));
    assertThat(seqs(history.last(1000))).isEqualTo(range(901, 1000));
    assertThat(history.last(100).get(0)).isEqualTo(sample(901, 2));
  }

  @Test
  void epochChangesSequenceJumpsAndTimeJumpsComeBackExactly() {
    History history = new History(10, 1);
    CpuFigures cpu = new CpuFigures(1, new int[] {1}, 1, 0, 0, 0, 0, 0, 0, 999);
    List<StoredSample> appended =
        List.of(
            new StoredSample(Long.MAX_VALUE, 1, Instant.ofEpochMilli(0), 5000, cpu),
            new StoredSample(Long.MAX_VALUE, 2, Instant.ofEpochMilli(5003), 5000, cpu),
            new StoredSample(Long.MAX_VALUE, 1_000_000, Instant.ofEpochMilli(10_001), 5000, cpu),
            // An agent restart: a new epoch, seq from 1, and a clock set back.
            new StoredSample(Long.MIN_VALUE, 1, Instant.ofEpochMilli(-86_400_000), 0, cpu),
            new StoredSample(0, Long.MAX_VALUE, Instant.ofEpochMilli(Long.MAX_VALUE), 1, cpu),
            new StoredSample(-1, 1, Instant.ofEpochMilli(Long.MIN_VALUE), Integer.MAX_VALUE, cpu));
    appended.forEach(history::append);

    assertThat(history.last(10)).isEqualTo(appended);
    assertThat(history.latest()).contains(appended.get(5));
  }

  @Test
  void aSteadySampleCostsAboutABitPerValue() {
    History history = new History(720, 16);
    StoredSample steady = sample(1, 16);
    for (long seq = 1; seq <= History.CHUNK_SAMPLES; seq++) {
      history.append(
          new StoredSample(7, seq, T0.plusSeconds(5 * seq), 5000, steady.cpu(), steady.families()));
    }

    // 25 CPU values and 5 header fields: 30 bits a sample once the first has set the bases.
    assertThat(history.storedBits()).isLessThan(History.CHUNK_SAMPLES * 32L + 512);
  }

  private static List<Long> range(long from, long to) {
    return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void rejectsAZeroCapacity() {
    assertThatThrownBy(() -> new History(0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity");
  }
}
