package io.vigia.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.StoredSample;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SendQueueTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Pending pending(String host, long seq) {
    return new Pending(
        host,
        new StoredSample(
            1,
            seq,
            T0.plusSeconds(seq),
            1000,
            new CpuFigures(100, new int[] {100}, 0, 0, 0, 0, 0, 0, 0, 900)));
  }

  @Test
  void aFullQueueDropsItsOldestAndCountsIt() throws InterruptedException {
    SendQueue queue = new SendQueue(3);
    assertThat(queue.offer(pending("a", 1))).isZero();
    queue.offer(pending("a", 2));
    queue.offer(pending("a", 3));

    assertThat(queue.offer(pending("a", 4))).isEqualTo(1);
    assertThat(queue.offer(pending("a", 5))).isEqualTo(2);

    assertThat(queue.droppedFull()).isEqualTo(2);
    assertThat(queue.size()).isEqualTo(3);
    assertThat(queue.oldestTime()).isEqualTo(T0.plusSeconds(3));
    assertThat(queue.take(10, 0, TimeUnit.SECONDS))
        .extracting(p -> p.sample().seq())
        .containsExactly(3L, 4L, 5L);
  }

  @Test
  void takeReturnsAtMostABatchOldestFirst() throws InterruptedException {
    SendQueue queue = new SendQueue(100);
    for (long seq = 1; seq <= 5; seq++) {
      queue.offer(pending("a", seq));
    }

    List<Pending> first = queue.take(2, 0, TimeUnit.SECONDS);
    List<Pending> rest = queue.take(10, 0, TimeUnit.SECONDS);

    assertThat(first).extracting(p -> p.sample().seq()).containsExactly(1L, 2L);
    assertThat(rest).extracting(p -> p.sample().seq()).containsExactly(3L, 4L, 5L);
    assertThat(queue.size()).isZero();
    assertThat(queue.oldestTime()).isNull();
  }

  @Test
  void takeFromAnEmptyQueueGivesNothingOnceItsTimeIsUp() throws InterruptedException {
    SendQueue queue = new SendQueue(1);

    assertThat(queue.take(10, 0, TimeUnit.SECONDS)).isEmpty();
  }

  @Test
  void clearSaysHowManyItRemoved() {
    SendQueue queue = new SendQueue(10);
    queue.offer(pending("a", 1));
    queue.offer(pending("b", 1));

    assertThat(queue.clear()).isEqualTo(2);
    assertThat(queue.size()).isZero();
  }
}
