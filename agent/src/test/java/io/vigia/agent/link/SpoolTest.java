package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigia.agent.sampling.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpoolTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Sample sample(long seq) {
    return new Sample(seq, T0.plusSeconds(5 * seq), Duration.ofSeconds(5), null);
  }

  private static Spool spoolWith(int capacity, long... seqs) {
    Spool spool = new Spool(capacity);
    for (long seq : seqs) {
      spool.add(sample(seq));
    }
    return spool;
  }

  private static List<Long> seqs(List<Sample> samples) {
    return samples.stream().map(Sample::seq).toList();
  }

  @Test
  void keepsEverySampleUpToItsCapacity() {
    Spool spool = spoolWith(3, 1, 2, 3);

    assertThat(seqs(spool.after(0))).containsExactly(1L, 2L, 3L);
    assertThat(spool.dropped()).isZero();
  }

  @Test
  void whenFullDropsTheOldestSample() {
    Spool spool = spoolWith(3, 1, 2, 3, 4, 5);

    assertThat(seqs(spool.after(0))).containsExactly(3L, 4L, 5L);
    assertThat(spool.size()).isEqualTo(3);
  }

  @Test
  void countsEveryDroppedSample() {
    Spool spool = spoolWith(3, 1, 2, 3, 4, 5);

    assertThat(spool.dropped()).isEqualTo(2);
  }

  @Test
  void acknowledgeForgetsEverySampleUpToAndIncludingTheSeq() {
    Spool spool = spoolWith(10, 1, 2, 3, 4, 5);

    spool.acknowledge(3);

    assertThat(seqs(spool.after(0))).containsExactly(4L, 5L);
  }

  @Test
  void acknowledgeOfAnOlderSeqKeepsEverything() {
    Spool spool = spoolWith(10, 4, 5, 6);

    spool.acknowledge(2);

    assertThat(spool.size()).isEqualTo(3);
  }

  @Test
  void acknowledgeBeyondTheNewestEmptiesTheSpool() {
    Spool spool = spoolWith(10, 1, 2, 3);

    spool.acknowledge(7);

    assertThat(spool.size()).isZero();
  }

  @Test
  void afterReturnsTheLaterSamplesOldestFirst() {
    Spool spool = spoolWith(10, 1, 2, 3, 4, 5);

    assertThat(seqs(spool.after(2))).containsExactly(3L, 4L, 5L);
  }

  @Test
  void afterDoesNotRemoveAnything() {
    Spool spool = spoolWith(10, 1, 2, 3);

    spool.after(2);

    assertThat(spool.size()).isEqualTo(3);
  }

  @Test
  void rejectsANonPositiveCapacityNamingIt() {
    assertThatThrownBy(() -> new Spool(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity")
        .hasMessageContaining("0");
  }
}
