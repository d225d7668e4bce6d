package io.vigia.collector.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FamilyHistoryTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final CpuFigures CPU =
      new CpuFigures(100, new int[] {100}, 0, 0, 0, 0, 0, 0, 0, 900);

  private static InterfaceFigures nic(String name, long rx) {
    return new InterfaceFigures(name, true, rx, 0, 0, 0, 0, 0, -1, -1);
  }

  private static Families nics(InterfaceFigures... nics) {
    return new Families(null, null, List.of(), List.of(), List.of(nics));
  }

  private static StoredSample sample(long seq, CpuFigures cpu, Families families) {
    return new StoredSample(1, seq, T0.plusSeconds(seq), 1000, cpu, families);
  }

  @Test
  void everyFamilyComesBackAsStored() {
    History history = new History(4, 1);
    Families all =
        new Families(
            new MemoryFigures(16L << 30, 12L << 30, 8L << 30, -1, 2L << 30, 0, 20, -1),
            new SystemFigures(52, 48, 40, 86_400, 312, 1_204, 210_000, -1),
            List.of(new FileSystemFigures("/", "/dev/vda", "ext4", 100, 40, 50, 10, 1)),
            List.of(new DiskFigures("vda", 0, 1 << 20, -1, 4_500, 32)),
            List.of(nic("eth0", 1_200)));

    history.append(sample(1, CPU, all));

    assertThat(history.latest().orElseThrow().families()).isEqualTo(all);
  }

  @Test
  void devicesThatComeAndGoAppearOnlyInTheirOwnSamples() {
    History history = new History(8, 1);
    history.append(sample(1, CPU, nics(nic("eth0", 1), nic("usb0", 2))));
    history.append(sample(2, CPU, nics(nic("eth0", 3))));
    history.append(sample(3, CPU, nics(nic("eth0", 4), nic("usb0", 5))));

    List<StoredSample> stored = history.last(3);

    assertThat(stored.get(0).families().interfaces())
        .containsExactly(nic("eth0", 1), nic("usb0", 2));
    assertThat(stored.get(1).families().interfaces()).containsExactly(nic("eth0", 3));
    assertThat(stored.get(2).families().interfaces())
        .containsExactly(nic("eth0", 4), nic("usb0", 5));
  }

  @Test
  void anOverwrittenSlotForgetsTheFamiliesOfTheSampleItHeld() {
    History history = new History(2, 1);
    history.append(sample(1, CPU, nics(nic("usb0", 2))));
    history.append(sample(2, CPU, nics(nic("eth0", 3))));
    history.append(sample(3, CPU, Families.NONE)); // overwrites seq 1's slot

    List<StoredSample> stored = history.last(2);

    assertThat(stored.get(0).families().interfaces()).containsExactly(nic("eth0", 3));
    assertThat(stored.get(1).families()).isEqualTo(Families.NONE);
  }

  @Test
  void samplesWithoutCpuAreKeptBetweenSamplesWithIt() {
    History history = new History(4, 1);
    Families memory =
        new Families(
            new MemoryFigures(100, 60, -1, -1, 0, 0, -1, -1),
            null,
            List.of(),
            List.of(),
            List.of());
    history.append(sample(1, CPU, Families.NONE));
    history.append(sample(2, null, memory));
    history.append(sample(3, CPU, Families.NONE));

    List<StoredSample> stored = history.last(3);

    assertThat(stored).extracting(StoredSample::hasCpu).containsExactly(true, false, true);
    assertThat(stored.get(1).families()).isEqualTo(memory);
    assertThat(stored.get(2).cpu()).isEqualTo(CPU);
  }

  @Test
  void devicesThatLeftTheRingMakeRoomForNewOnes() {
    History history = new History(2, 1);
    // Far more short-lived interfaces (container veths) than can be tracked at once.
    int n = 3 * Families.MAX_DEVICES;
    for (int i = 0; i < n; i++) {
      history.append(sample(i + 1, CPU, nics(nic("veth" + i, i))));
    }

    assertThat(history.trackedDevices()).isLessThanOrEqualTo(Families.MAX_DEVICES);
    assertThat(history.last(2))
        .extracting(s -> s.families().interfaces())
        .containsExactly(
            List.of(nic("veth" + (n - 2), n - 2)), List.of(nic("veth" + (n - 1), n - 1)));
  }

  @Test
  void aKindFullOfLiveDevicesStoresNoNewOneUntilAnOldOneLeavesTheRing() {
    History history = new History(3, 1);
    List<InterfaceFigures> full = new ArrayList<>();
    for (int i = 0; i < Families.MAX_DEVICES; i++) {
      full.add(nic("veth" + i, i));
    }
    history.append(sample(1, CPU, nics(full.toArray(InterfaceFigures[]::new))));
    history.append(sample(2, CPU, nics(nic("veth0", 1), nic("new0", 2))));

    // veth1.. are still in the ring, so there is no room for new0: the rest of the sample stays.
    assertThat(history.latest().orElseThrow().families().interfaces())
        .containsExactly(nic("veth0", 1));
    assertThat(history.last(2).get(0).families().interfaces()).isEqualTo(full);

    // The ring drops a chunk (here of 3 samples) once every sample in it is older than the last 3.
    for (int seq = 3; seq <= 6; seq++) {
      history.append(sample(seq, CPU, nics(nic("veth0", seq))));
    }
    history.append(sample(7, CPU, nics(nic("new0", 7))));

    assertThat(history.latest().orElseThrow().families().interfaces())
        .containsExactly(nic("new0", 7));
    assertThat(history.trackedDevices()).isLessThanOrEqualTo(Families.MAX_DEVICES);
  }

  @Test
  void aDeviceThatVanishesAndComesBackInALaterChunkKeepsItsExactValues() {
    History history = new History(500, 1);
    List<Families> appended = new ArrayList<>();
    for (int seq = 1; seq <= 300; seq++) {
      Families f =
          seq % 97 < 50
              ? nics(nic("eth0", 1_000_000L + seq), nic("usb0", 7L * seq))
              : nics(nic("eth0", 1_000_000L + seq));
      appended.add(f);
      history.append(sample(seq, CPU, f));
    }

    assertThat(history.last(300)).extracting(StoredSample::families).isEqualTo(appended);
  }

  @Test
  void aFileSystemWhoseDeviceOrTypeChangesKeepsTheLabelsOfEachSample() {
    History history = new History(10, 1);
    Families before = fs(new FileSystemFigures("/data", "/dev/sdb1", "ext4", 100, 10, 90, 5, 1));
    Families remounted = fs(new FileSystemFigures("/data", "/dev/sdc1", "xfs", 200, 10, 190, 9, 1));
    history.append(sample(1, CPU, before));
    history.append(sample(2, CPU, remounted));
    history.append(sample(3, CPU, before));

    assertThat(history.last(3))
        .extracting(StoredSample::families)
        .containsExactly(before, remounted, before);
  }

  @Test
  void aNameTwiceInOneSampleComesBackTwiceInOrder() {
    History history = new History(4, 1);
    Families twice = nics(nic("eth0", 5), nic("lo", 1), nic("eth0", 9));
    history.append(sample(1, CPU, twice));
    history.append(sample(2, CPU, twice));

    assertThat(history.latest().orElseThrow().families()).isEqualTo(twice);
    assertThat(history.last(2)).extracting(StoredSample::families).containsExactly(twice, twice);
  }

  @Test
  void extremeValuesJumpsAndCounterResetsComeBackExactly() {
    History history = new History(8, 1);
    long[] values = {0, Long.MAX_VALUE, 0, Long.MIN_VALUE, -1, Long.MAX_VALUE, 1L << 40, 3};
    List<Families> appended = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      long v = values[i];
      Families f =
          new Families(
              new MemoryFigures(Long.MAX_VALUE, i % 2 == 0 ? 0 : Long.MAX_VALUE, v, v, 0, 0, v, -1),
              new SystemFigures(Integer.MAX_VALUE, Integer.MIN_VALUE, -1, v, 0, i, v, -v),
              List.of(new FileSystemFigures("/", "/dev/vda1", "ext4", v, -v, v, v, v)),
              List.of(new DiskFigures("vda", v, v, v, v, i % 2 == 0 ? -1 : Integer.MAX_VALUE)),
              List.of(new InterfaceFigures("eth0", i % 2 == 0, v, v, v, v, v, v, v, v)));
      appended.add(f);
      history.append(sample(i + 1, CPU, f));
    }

    assertThat(history.last(8)).extracting(StoredSample::families).isEqualTo(appended);
    assertThat(history.latest().orElseThrow().families()).isEqualTo(appended.get(7));
  }

  private static Families fs(FileSystemFigures... fs) {
    return new Families(null, null, List.of(fs), List.of(), List.of());
  }
}
