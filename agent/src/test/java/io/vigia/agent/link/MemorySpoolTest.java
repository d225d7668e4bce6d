package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemorySpoolTest {

  private static byte[] frame(int bytes) {
    return new byte[bytes];
  }

  private static MemorySpool filled(MemorySpool spool, long from, long to, int bytes) {
    for (long seq = from; seq <= to; seq++) {
      spool.add(seq, frame(bytes));
    }
    return spool;
  }

  @Test
  void keepsConsecutiveSnapshotsFindableBySeq() {
    MemorySpool spool = filled(new MemorySpool(10, 1 << 20), 5, 9, 30);

    assertThat(spool.firstSeq()).isEqualTo(5);
    assertThat(spool.size()).isEqualTo(5);
    assertThat(spool.get(5)).hasSize(30);
    assertThat(spool.get(9)).isNotNull();
    assertThat(spool.get(4)).isNull();
    assertThat(spool.get(10)).isNull();
    assertThat(spool.bytes()).isEqualTo(150);
  }

  @Test
  void afterNamesTheNextHeldSequence() {
    MemorySpool spool = filled(new MemorySpool(10, 1 << 20), 5, 9, 30);

    assertThat(spool.after(0)).isEqualTo(5);
    assertThat(spool.after(6)).isEqualTo(7);
    assertThat(spool.after(9)).isZero();
    assertThat(new MemorySpool(3, 100).after(0)).isZero();
  }

  @Test
  void fullByCountDropsTheOldestAndCountsThem() {
    MemorySpool spool = filled(new MemorySpool(3, 1 << 20), 1, 5, 30);

    assertThat(spool.firstSeq()).isEqualTo(3);
    assertThat(spool.size()).isEqualTo(3);
    assertThat(spool.dropped()).isEqualTo(2);
    assertThat(spool.get(2)).isNull();
    assertThat(spool.get(5)).isNotNull();
  }

  @Test
  void fullByBytesDropsTheOldestAndCountsThem() {
    MemorySpool spool = filled(new MemorySpool(1000, 100), 1, 5, 30);

    assertThat(spool.bytes()).isLessThanOrEqualTo(100);
    assertThat(spool.size()).isEqualTo(3);
    assertThat(spool.firstSeq()).isEqualTo(3);
    assertThat(spool.dropped()).isEqualTo(2);
  }

  @Test
  void aSnapshotLargerThanTheByteCapStillFitsAlone() {
    MemorySpool spool = filled(new MemorySpool(10, 100), 1, 2, 30);

    spool.add(3, frame(500));

    assertThat(spool.size()).isEqualTo(1);
    assertThat(spool.get(3)).hasSize(500);
    assertThat(spool.dropped()).isEqualTo(2);
  }

  @Test
  void makeRoomDropsOnlyWhatANewSnapshotNeeds() {
    MemorySpool spool = filled(new MemorySpool(1000, 100), 1, 3, 30);

    assertThat(spool.makeRoom(10)).isFalse();
    assertThat(spool.makeRoom(31)).isTrue();
    assertThat(spool.dropped()).isEqualTo(1);
    assertThat(spool.firstSeq()).isEqualTo(2);
  }

  @Test
  void acknowledgeForgetsUpToAndIncludingTheSeq() {
    MemorySpool spool = filled(new MemorySpool(10, 1 << 20), 1, 6, 10);

    spool.acknowledge(4);

    assertThat(spool.firstSeq()).isEqualTo(5);
    assertThat(spool.size()).isEqualTo(2);
    assertThat(spool.bytes()).isEqualTo(20);
    assertThat(spool.dropped()).isZero();
  }

  @Test
  void acknowledgingEverythingEmptiesItAndTheNextSnapshotStartsAfresh() {
    MemorySpool spool = filled(new MemorySpool(4, 1 << 20), 1, 3, 10);

    spool.acknowledge(3);
    spool.add(4, frame(10));

    assertThat(spool.size()).isEqualTo(1);
    assertThat(spool.firstSeq()).isEqualTo(4);
  }

  @Test
  void aStaleAckChangesNothing() {
    MemorySpool spool = filled(new MemorySpool(10, 1 << 20), 7, 9, 10);

    spool.acknowledge(3);

    assertThat(spool.size()).isEqualTo(3);
  }

  @Test
  void wrapsAroundItsRingWithoutLosingOrder() {
    MemorySpool spool = new MemorySpool(4, 1 << 20);
    for (long seq = 1; seq <= 50; seq++) {
      spool.add(seq, new byte[] {(byte) seq});
      if (seq % 3 == 0) {
        spool.acknowledge(seq - 1);
      }
    }

    long first = spool.firstSeq();
    for (long seq = first; seq <= 50; seq++) {
      assertThat(spool.get(seq)).containsExactly((byte) seq);
    }
  }

  @Test
  void aSnapshotOutOfSequenceIsRefused() {
    MemorySpool spool = filled(new MemorySpool(10, 1 << 20), 1, 3, 10);

    assertThatThrownBy(() -> spool.add(5, frame(10)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 does not follow 3");
  }

  @Test
  void refusesBoundsThatHoldNothing() {
    assertThatThrownBy(() -> new MemorySpool(0, 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MemorySpool(10, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
