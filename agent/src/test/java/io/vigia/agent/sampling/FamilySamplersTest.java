package io.vigia.agent.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The memory, load, disk and network samplers on recorded counter sequences. */
class FamilySamplersTest {

  private static final long SECOND = 1_000_000_000L;
  private final AtomicLong nanos = new AtomicLong();

  private static Sample take(Sampler sampler) throws SamplingException {
    Sample.Builder builder = new Sample.Builder();
    sampler.sampleInto(builder);
    return builder.build(1, Instant.EPOCH, Duration.ofSeconds(1));
  }

  /** Hands out one recorded reading per call. */
  private static <T> Deque<T> recorded(List<T> readings) {
    return new ArrayDeque<>(readings);
  }

  @Test
  void memoryReportsSizesAtOnceAndSwapPagingFromTheSecondReading() throws Exception {
    Deque<MemoryReading> readings =
        recorded(
            List.of(
                new MemoryReading(16L << 30, 12L << 30, 8L << 30, 1L << 28, 2L << 30, 0, 100, 40),
                new MemoryReading(
                    16L << 30, 11L << 30, 8L << 30, 1L << 28, 2L << 30, 4096, 110, 40)));
    MemorySampler sampler = new MemorySampler(readings::removeFirst, nanos::get);

    MemoryUsage first = take(sampler).memory();
    nanos.addAndGet(2 * SECOND);
    MemoryUsage second = take(sampler).memory();

    assertThat(first.totalBytes()).isEqualTo(16L << 30);
    assertThat(first.swapInPagesX100()).isEqualTo(CounterRates.UNKNOWN);
    assertThat(second.availableBytes()).isEqualTo(11L << 30);
    assertThat(second.swapInPagesX100()).isEqualTo(500); // 10 pages in 2 s
    assertThat(second.swapOutPagesX100()).isZero();
  }

  @Test
  void loadReportsAveragesInHundredthsAndSchedulerRates() throws Exception {
    Deque<SystemReading> readings =
        recorded(
            List.of(
                new SystemReading(0.5, 0.25, 1.126, 3600, 120, 400, 10_000, 5_000),
                new SystemReading(-1, -1, -1, 3605, 121, 401, 60_000, 4_000)));
    LoadSampler sampler = new LoadSampler(readings::removeFirst, nanos::get);

    SystemLoad first = take(sampler).load();
    nanos.addAndGet(5 * SECOND);
    SystemLoad second = take(sampler).load();

    assertThat(first.load1X100()).isEqualTo(50);
    assertThat(first.load15X100()).isEqualTo(113);
    assertThat(second.load1X100()).isEqualTo(-1); // the OS has none
    assertThat(second.contextSwitchesX100()).isEqualTo(1_000_000); // 10,000/s
    assertThat(second.interruptsX100()).isEqualTo(CounterRates.UNKNOWN); // went backwards
  }

  private static FileSystemUsage fs(String mount, String type) {
    return new FileSystemUsage(mount, "dev", type, 100, 40, 50, 10, 1);
  }

  @Test
  void diskSkipsPseudoFileSystemsAndLoopDevicesUnlessAsked() throws Exception {
    List<FileSystemUsage> mounts =
        List.of(
            fs("/", "ext4"),
            fs("/proc", "proc"),
            fs("/dev/shm", "tmpfs"),
            fs("/var/lib/docker/overlay2/x/merged", "overlay"),
            fs("/home", "xfs"));
    List<DiskReading> disks =
        List.of(new DiskReading("vda", 0, 0, 0, 0, 0), new DiskReading("loop0", 0, 0, 0, 0, 0));

    Sample byDefault =
        take(new DiskSampler(() -> mounts, () -> disks, DeviceFilter.DEFAULT, nanos::get));
    Sample asked =
        take(
            new DiskSampler(
                () -> mounts,
                () -> disks,
                DeviceFilter.of(List.of("/", "/dev/shm"), List.of()),
                nanos::get));

    assertThat(byDefault.fileSystems())
        .extracting(FileSystemUsage::mount)
        .containsExactly("/", "/home");
    assertThat(byDefault.disks()).extracting(DiskIo::device).containsExactly("vda");
    assertThat(asked.fileSystems())
        .extracting(FileSystemUsage::mount)
        .containsExactly("/", "/dev/shm");
  }

  @Test
  void diskRatesFollowTheCountersAndSurviveAReplacedDevice() throws Exception {
    Deque<List<DiskReading>> rounds =
        recorded(
            List.of(
                List.of(new DiskReading("sda", 0, 1_000_000, 0, 100, 0)),
                // 1 s later: 4 MiB written in 40 writes, busy 250 ms of the second.
                List.of(new DiskReading("sda", 0, 1_000_000 + (4 << 20), 0, 140, 250)),
                // sdb appears; sda was swapped for a fresh disk (counters back near zero).
                List.of(
                    new DiskReading("sda", 512, 4096, 1, 1, 3),
                    new DiskReading("sdb", 0, 0, 0, 0, 0)),
                List.of(
                    new DiskReading("sda", 512, 4096 + 2048, 1, 3, 2_003),
                    new DiskReading("sdb", 1024, 0, 2, 0, 10))));
    DiskSampler sampler =
        new DiskSampler(List::of, rounds::removeFirst, DeviceFilter.DEFAULT, nanos::get);

    take(sampler);
    nanos.addAndGet(SECOND);
    DiskIo second = take(sampler).disks().get(0);
    nanos.addAndGet(SECOND);
    List<DiskIo> third = take(sampler).disks();
    nanos.addAndGet(SECOND);
    List<DiskIo> fourth = take(sampler).disks();

    assertThat(second).isEqualTo(new DiskIo("sda", 0, 4 << 20, 0, 4_000, 250));
    // The replaced disk's write and busy counters went backwards: no rate, no spike, for those
    // counters only (its read counters still grew from 0). The new disk has no rates yet.
    assertThat(third)
        .containsExactly(
            new DiskIo("sda", 512, -1, 100, -1, -1), new DiskIo("sdb", -1, -1, -1, -1, -1));
    // Busy time can overshoot the interval (clock skew between the counters): capped at 100 %.
    assertThat(fourth)
        .containsExactly(
            new DiskIo("sda", 0, 2048, 0, 200, 1000), new DiskIo("sdb", 1024, 0, 200, 0, 10));
  }

  private static InterfaceReading nic(String name, boolean loopback, long rx, long tx) {
    return new InterfaceReading(name, true, loopback, rx, tx, rx / 100, tx / 100, 0, 0, 0, -1);
  }

  @Test
  void networkSkipsLoopbackUnlessAskedAndReportsRates() throws Exception {
    Deque<List<InterfaceReading>> rounds =
        recorded(
            List.of(
                List.of(nic("lo", true, 0, 0), nic("eth0", false, 10_000, 5_000)),
                List.of(nic("lo", true, 1_000_000, 1_000_000), nic("eth0", false, 30_000, 5_000))));
    NetworkSampler byDefault =
        new NetworkSampler(rounds::removeFirst, DeviceFilter.DEFAULT, nanos::get);

    take(byDefault);
    nanos.addAndGet(2 * SECOND);
    List<InterfaceIo> shown = take(byDefault).interfaces();

    assertThat(shown).extracting(InterfaceIo::name).containsExactly("eth0");
    InterfaceIo eth0 = shown.get(0);
    assertThat(eth0.rxBytesPerSec()).isEqualTo(10_000);
    assertThat(eth0.txBytesPerSec()).isZero();
    assertThat(eth0.rxPacketsX100()).isEqualTo(10_000); // 100 packets/s
    assertThat(eth0.txDropsX100()).isEqualTo(CounterRates.UNKNOWN); // not kept here
  }

  @Test
  void networkReportsLoopbackWhenAnIncludePatternNamesIt() throws Exception {
    NetworkSampler sampler =
        new NetworkSampler(
            () -> List.of(nic("lo", true, 0, 0), nic("eth0", false, 0, 0)),
            DeviceFilter.of(List.of("lo"), List.of()),
            nanos::get);

    assertThat(take(sampler).interfaces()).extracting(InterfaceIo::name).containsExactly("lo");
  }

  @Test
  void aSourceThatFailsIsASamplingExceptionNamingTheFamily() {
    NetworkSampler sampler =
        new NetworkSampler(
            () -> {
              throw new IllegalStateException("no /proc");
            },
            DeviceFilter.DEFAULT,
            nanos::get);

    assertThatThrownBy(() -> take(sampler))
        .isInstanceOf(SamplingException.class)
        .hasMessageContaining("network");
  }
}
