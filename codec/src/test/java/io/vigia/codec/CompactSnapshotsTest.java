package io.vigia.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigia.proto.CpuSample;
import io.vigia.proto.Frame;
import io.vigia.proto.Snapshot;
import org.junit.jupiter.api.Test;

class CompactSnapshotsTest {

  private static final long BASE = 1_790_000_000_000L;

  /** A 16-core CPU snapshot with every mode set, sample 123456 of a 1 s agent, 7 ms late. */
  private static Snapshot classic() {
    CpuSample.Builder cpu =
        CpuSample.newBuilder()
            .setBusy(412)
            .setUser(288)
            .setNice(2)
            .setSystem(110)
            .setIowait(9)
            .setIrq(4)
            .setSoftirq(6)
            .setSteal(3)
            .setIdle(579);
    for (int core = 0; core < 16; core++) {
      cpu.addCoreBusy(60 + core * 45);
    }
    return Snapshot.newBuilder()
        .setSeq(123_456)
        .setTimeMs(BASE + 123_456_000L + 7)
        .setIntervalMs(1003)
        .setCpu(cpu)
        .build();
  }

  private static int wireBytes(Snapshot snapshot) {
    return 4 + Frame.newBuilder().setSnapshot(snapshot).build().getSerializedSize();
  }

  @Test
  void compactCarriesSkewsAndPackedModes() {
    Snapshot compact = CompactSnapshots.compact(classic(), BASE, 1000);

    assertThat(CompactSnapshots.isCompact(compact)).isTrue();
    assertThat(compact.getTimeMs()).isZero();
    assertThat(compact.getIntervalMs()).isZero();
    assertThat(compact.getTimeSkewMs()).isEqualTo(7);
    assertThat(compact.getIntervalSkewMs()).isEqualTo(3);
    assertThat(compact.getCpu().getModesList()).containsExactly(288, 2, 110, 9, 4, 6, 3, 579);
    assertThat(compact.getCpu().getUser()).isZero();
  }

  @Test
  void expandGivesBackTheClassicSnapshotExactly() {
    Snapshot compact = CompactSnapshots.compact(classic(), BASE, 1000);

    assertThat(CompactSnapshots.expand(compact, BASE, 1000)).isEqualTo(classic());
    assertThat(CompactSnapshots.expand(compact, BASE, 1000).toByteArray())
        .isEqualTo(classic().toByteArray());
  }

  @Test
  void aSixteenCoreCpuSnapshotFitsIn64BytesCompact() {
    int classic = wireBytes(classic());
    int compact = wireBytes(CompactSnapshots.compact(classic(), BASE, 1000));

    assertThat(compact).isLessThanOrEqualTo(64);
    // time 7 bytes -> 2, interval 3 -> 2, eight mode tags -> one tag and a length.
    assertThat(classic - compact).isEqualTo(12);
  }

  @Test
  void aSampleBeforeItsScheduleHasANegativeSkew() {
    Snapshot early = classic().toBuilder().setTimeMs(BASE + 123_456_000L - 250).build();

    Snapshot compact = CompactSnapshots.compact(early, BASE, 1000);

    assertThat(compact.getTimeSkewMs()).isEqualTo(-250);
    assertThat(CompactSnapshots.expand(compact, BASE, 1000)).isEqualTo(early);
  }

  @Test
  void classicAndCompactAreLeftAsTheyAre() {
    Snapshot classic = classic();
    Snapshot compact = CompactSnapshots.compact(classic, BASE, 1000);

    assertThat(CompactSnapshots.expand(classic, BASE, 1000)).isSameAs(classic);
    assertThat(CompactSnapshots.compact(compact, BASE, 1000)).isSameAs(compact);
  }

  @Test
  void fewerThanEightPackedModesCannotBeExpanded() {
    Snapshot compact = CompactSnapshots.compact(classic(), BASE, 1000);
    Snapshot cut =
        compact.toBuilder()
            .setCpu(compact.getCpu().toBuilder().clearModes().addModes(1).addModes(2))
            .build();

    assertThatThrownBy(() -> CompactSnapshots.expand(cut, BASE, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 values, 8 expected");
  }
}
