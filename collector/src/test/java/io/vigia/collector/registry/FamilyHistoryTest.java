package io.vigia.collector.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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
    FamilyHistory families = new FamilyHistory(2);
    int slot = 0;
    // Far more short-lived interfaces (container veths) than can be tracked at once.
    for (int i = 0; i < 3 * FamilyHistory.MAX_DEVICES; i++) {
      families.write(slot, nics(nic("veth" + i, i)));
      slot = (slot + 1) % 2;
    }

    assertThat(families.trackedDevices()).isLessThanOrEqualTo(FamilyHistory.MAX_DEVICES);
    assertThat(families.read(Math.floorMod(slot - 1, 2)).interfaces())
        .containsExactly(
            nic("veth" + (3 * FamilyHistory.MAX_DEVICES - 1), 3 * FamilyHistory.MAX_DEVICES - 1));
  }
}
