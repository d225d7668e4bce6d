package io.vigia.agent.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code /proc} and {@code /sys} parsers, on recorded file contents. */
class ProcSourcesTest {

  @TempDir Path root;

  private void write(String path, String content) throws IOException {
    Path file = root.resolve(path.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  // Recorded on a 2-core Debian 12 VM (Linux 6.1).
  private static final String STAT =
      """
      cpu  888861 1720 112430 553224 3315 0 12877 1287 0 0
      cpu0 442210 845 55501 280671 666 0 6208 645 0 0
      cpu1 446651 874 56928 272552 2649 0 6669 641 0 0
      intr 8146600 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
      ctxt 25083673
      btime 1764243236
      processes 15688
      procs_running 2
      procs_blocked 0
      softirq 4172519 0 1017655 2 1150033 0 0 26 1003227 0 1001576
      """;

  @Test
  void cpuLinesBecomeMillisecondsPerCoreInModeOrder() {
    long[][] ticks = ProcCpuTicksSource.parse(ProcText.of(STAT), 2);

    assertThat(ticks).hasDimensions(2, CpuMode.COUNT);
    assertThat(ticks[0])
        .containsExactly(4_422_100, 8_450, 555_010, 2_806_710, 6_660, 0, 62_080, 6_450);
    assertThat(ticks[1][CpuMode.IOWAIT.ordinal()]).isEqualTo(26_490);
  }

  @Test
  void manyCoresAreAllReadWhateverTheRowCountGivenAtStart() {
    StringBuilder stat = new StringBuilder("cpu  1 2 3 4 5 6 7 8 0 0\n");
    for (int cpu = 0; cpu < 256; cpu++) {
      stat.append("cpu").append(cpu).append(' ').append(cpu).append(" 0 1 100 0 0 0 0 0 0\n");
    }
    stat.append("intr 1").append(" 0".repeat(5000)).append("\nctxt 77\n");

    long[][] ticks = ProcCpuTicksSource.parse(ProcText.of(stat.toString()), 2);

    assertThat(ticks).hasNumberOfRows(256);
    assertThat(ticks[255][CpuMode.USER.ordinal()]).isEqualTo(2_550);
    assertThat(ProcSystemSource.schedulerCounters(ProcText.of(stat.toString())))
        .containsExactly(77, 1);
  }

  @Test
  void anOfflineCoreKeepsItsRowAndTheOthersKeepTheirNumbers() {
    String twoOfFour =
        """
        cpu  30 0 30 300 0 0 0 0 0 0
        cpu0 10 0 10 100 0 0 0 0 0 0
        cpu2 20 0 20 200 0 0 0 0 0 0
        intr 0
        """;

    long[][] ticks = ProcCpuTicksSource.parse(ProcText.of(twoOfFour), 4);

    assertThat(ticks).hasNumberOfRows(4);
    assertThat(ticks[2][CpuMode.USER.ordinal()]).isEqualTo(200);
    assertThat(ticks[1]).containsOnly(ProcCpuTicksSource.OFFLINE);
    assertThat(ticks[3]).containsOnly(ProcCpuTicksSource.OFFLINE);
  }

  @Test
  void oldKernelsWithoutStealColumnsReadZeroThere() {
    long[][] ticks = ProcCpuTicksSource.parse(ProcText.of("cpu0 1 2 3 4\n"), 1);

    assertThat(ticks[0]).containsExactly(10, 20, 30, 40, 0, 0, 0, 0);
  }

  @Test
  void sourceReadsTheFileAgainEachRound() throws IOException {
    write("/proc/stat", "cpu0 1 0 0 1 0 0 0 0\n");
    ProcCpuTicksSource source = new ProcCpuTicksSource(root.toString(), 1);
    assertThat(source.coreTicks()[0][0]).isEqualTo(10);

    write("/proc/stat", "cpu0 5 0 0 9 0 0 0 0\ncpu1 7 0 0 9 0 0 0 0\n");

    long[][] later = source.coreTicks();
    assertThat(later).hasNumberOfRows(2);
    assertThat(later[0][0]).isEqualTo(50);
  }

  @Test
  void cpuAndSystemSourcesShareOneReadOfProcStatPerRound() throws IOException {
    write("/proc/stat", "cpu0 1 0 0 1 0 0 0 0\nintr 5\nctxt 6\n");
    write("/proc/loadavg", "0.00 0.00 0.00 1/1 1\n");
    write("/proc/uptime", "1.00 1.00\n");
    long[] now = {0};
    ProcFile stat = new ProcFile(root + "/proc/stat", 64, () -> now[0]);
    ProcCpuTicksSource cpu = new ProcCpuTicksSource(stat, 1);
    ProcSystemSource system = new ProcSystemSource(root.toString(), stat);

    assertThat(cpu.coreTicks()[0][0]).isEqualTo(10);
    write("/proc/stat", "cpu0 2 0 0 1 0 0 0 0\nintr 7\nctxt 8\n");
    now[0] += 1_000_000; // 1 ms later, the same round

    assertThat(system.read().contextSwitches()).as("the content read for the CPU").isEqualTo(6);
    assertThat(cpu.coreTicks()[0][0]).as("the CPU source always reads afresh").isEqualTo(20);
    write("/proc/stat", "cpu0 3 0 0 1 0 0 0 0\nintr 9\nctxt 10\n");
    now[0] += 1_000_000_000; // the next round, without the CPU sampler
    assertThat(system.read().contextSwitches()).isEqualTo(10);
  }

  @Test
  void loadUptimeThreadsProcessesAndSchedulerCounters() throws IOException {
    write("/proc/loadavg", "1.74 0.12 12.90 2/831 15642\n");
    write("/proc/uptime", "7915.98 5532.24\n");
    write("/proc/stat", STAT);
    for (String entry : List.of("1", "42", "15642", "self", "net", "sys")) {
      Files.createDirectories(root.resolve("proc").resolve(entry));
    }

    SystemReading reading = new ProcSystemSource(root.toString()).read();

    assertThat(reading)
        .isEqualTo(new SystemReading(1.74, 0.12, 12.90, 7915, 3, 831, 25_083_673, 8_146_600));
  }

  @Test
  void processesAreCountedAgainEveryTenSeconds() throws IOException {
    write("/proc/loadavg", "0.00 0.00 0.00 1/1 1\n");
    write("/proc/uptime", "1.00 1.00\n");
    write("/proc/stat", STAT);
    for (String entry : List.of("1", "42", "self")) {
      Files.createDirectories(root.resolve("proc").resolve(entry));
    }
    long[] now = {0};
    ProcSystemSource system =
        new ProcSystemSource(
            root.toString(), new ProcFile(root + "/proc/stat", 64, () -> now[0]), () -> now[0]);

    assertThat(system.read().processes()).isEqualTo(2);
    Files.createDirectories(root.resolve("proc").resolve("43"));
    now[0] += 9_000_000_000L;
    assertThat(system.read().processes()).as("9 s later: the count stands").isEqualTo(2);
    now[0] += 1_000_000_000L;
    assertThat(system.read().processes()).as("10 s after the count").isEqualTo(3);
  }

  @Test
  void loadAveragesParseToTheHundredth() {
    ProcText text = ProcText.of("0.00 10.05 123.99 1/1 1\n");
    assertThat(LoadSampler.hundredths(text.nextDecimal())).isZero();
    assertThat(LoadSampler.hundredths(text.nextDecimal())).isEqualTo(1005);
    assertThat(LoadSampler.hundredths(text.nextDecimal())).isEqualTo(12399);
    assertThat(ProcSystemSource.threads(text)).isEqualTo(1);
  }

  @Test
  void meminfoAndVmstatGiveOshisMeanings() throws IOException {
    write(
        "/proc/meminfo",
        """
        MemTotal:       24684084 kB
        MemFree:        22544504 kB
        MemAvailable:   24057072 kB
        Buffers:           26980 kB
        Cached:          1673344 kB
        SwapCached:          512 kB
        Active:           917860 kB
        SwapTotal:       2097148 kB
        SwapFree:        2000000 kB
        HugePages_Total:       0
        """);
    write("/proc/vmstat", "nr_free_pages 5636126\npswpin 17\npswpout 4242\npgfault 1\n");

    MemoryReading reading = new ProcMemorySource(root.toString()).read();

    assertThat(reading)
        .isEqualTo(
            new MemoryReading(
                24_684_084L * 1024,
                24_057_072L * 1024,
                1_673_344L * 1024,
                26_980L * 1024,
                2_097_148L * 1024,
                97_148L * 1024,
                17,
                4242));
  }

  @Test
  void meminfoOfAKernelWithoutMemAvailableFallsBackOnFreePlusCache() {
    MemoryReading reading =
        ProcMemorySource.meminfo(
            ProcText.of(
                "MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\nCached: 200 kB\n"
                    + "SwapTotal: 0 kB\nSwapFree: 0 kB\n"),
            -1,
            -1);

    assertThat(reading.availableBytes()).isEqualTo(310 * 1024);
    assertThat(reading.swapUsedBytes()).isZero();
    assertThat(reading.swapPagesIn()).isEqualTo(-1);
  }

  private static final String DISKSTATS =
      """
         7       0 loop0 31 0 682 5 0 0 0 0 0 20 5 0 0 0 0 0 0
         8       0 sda 1000 10 20000 300 2000 20 40000 500 0 1234 800 0 0 0 0 0 0
         8       1 sda1 900 10 18000 250 1900 20 39000 480 0 1200 730 0 0 0 0 0 0
       259       0 nvme0n1 5 0 8 1 6 0 16 2 1 77 3 0 0 0 0 0 0
       259       1 nvme0n1p1 4 0 6 1 5 0 12 2 0 70 3 0 0 0 0 0 0
       253       0 dm-0 3 0 4 0 2 0 8 0 0 9 0 0 0 0 0 0 0
         9     127 md127 1 0 2 0 1 0 2 0 0 0 0
      """;

  @Test
  void diskstatsGivesEveryDeviceInSectorsOf512Bytes() {
    List<DiskReading> disks = ProcDiskSource.parse(ProcText.of(DISKSTATS), new DeviceNames());

    assertThat(disks)
        .extracting(DiskReading::device)
        .containsExactly("loop0", "sda", "sda1", "nvme0n1", "nvme0n1p1", "dm-0", "md127");
    assertThat(disks.get(1))
        .isEqualTo(new DiskReading("sda", 10_240_000, 20_480_000, 1000, 2000, 1234));
  }

  @Test
  void onlyWholeDisksAreReportedAsSysfsListsThem() throws IOException {
    write("/proc/diskstats", DISKSTATS);
    for (String disk : List.of("loop0", "sda", "nvme0n1", "dm-0", "md127")) {
      Files.createDirectories(root.resolve("sys/block").resolve(disk));
    }
    ProcDiskSource source = new ProcDiskSource(root.toString());

    List<DiskReading> disks = source.disks();

    assertThat(disks)
        .extracting(DiskReading::device)
        .containsExactly("loop0", "sda", "nvme0n1", "dm-0", "md127");
    assertThat(source.disks().get(1).device())
        .as("the name of the next round is the same String")
        .isSameAs(disks.get(1).device());
  }

  private static final String NET_DEV =
      """
      Inter-|   Receive                                                |  Transmit
       face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
          lo: 108538568787 45303818    0    0    0     0          0         0 108538568787 45303818    0    0    0     0       0          0
      enp0s31f6: 754347820   27761    3    4    0     0          0         9  3744720   23695    5    6    0     0       0          0
        eth0:1234 5 0 0 0 0 0 0 678 9 0 0 0 0 0 0
      veth1a2b3c4: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
      """;

  @Test
  void netDevGivesEachInterfacesCountersWhateverItsName() {
    List<ProcInterfaceSource.Line> lines =
        ProcInterfaceSource.parse(ProcText.of(NET_DEV), new DeviceNames());

    assertThat(lines)
        .extracting(ProcInterfaceSource.Line::name)
        .containsExactly("lo", "enp0s31f6", "eth0", "veth1a2b3c4");
    assertThat(lines.get(1).counters())
        .containsExactly(754347820, 27761, 3, 4, 0, 0, 0, 9, 3744720, 23695, 5, 6, 0, 0, 0, 0);
    assertThat(lines.get(2).counters()[0])
        .as("old kernels: no space after the colon")
        .isEqualTo(1234);
    assertThat(lines.get(2).counters()[8]).isEqualTo(678);
  }

  @Test
  void interfaceStateComesFromOperstateAndLoopbackFromTheFlags() throws IOException {
    write("/proc/net/dev", NET_DEV);
    sys("lo", "unknown", "0x9");
    sys("enp0s31f6", "up", "0x1003");
    sys("eth0", "down", "0x1002");
    // veth1a2b3c4 vanished from sysfs between the two reads: counters still go out.

    List<InterfaceReading> nics = new ProcInterfaceSource(root.toString()).interfaces();

    assertThat(nics)
        .extracting(InterfaceReading::name, InterfaceReading::up, InterfaceReading::loopback)
        .containsExactly(
            tuple("lo", true, true),
            tuple("enp0s31f6", true, false),
            tuple("eth0", false, false),
            tuple("veth1a2b3c4", false, false));
    assertThat(nics.get(1))
        .isEqualTo(
            new InterfaceReading(
                "enp0s31f6", true, false, 754347820, 3744720, 27761, 23695, 3, 5, 4, 6));
  }

  private void sys(String nic, String operstate, String flags) throws IOException {
    write("/sys/class/net/" + nic + "/operstate", operstate + "\n");
    write("/sys/class/net/" + nic + "/flags", flags + "\n");
  }

  @Test
  void aGrowingFileIsReadWholeIntoALargerBuffer() throws IOException {
    String big =
        IntStream.range(0, 2000).mapToObj(i -> "line " + i + "\n").reduce("", String::concat);
    write("/proc/big", big);
    ProcFile file = new ProcFile(root + "/proc/big", 16);

    ProcText text = file.read(new ProcText());
    int lines = 0;
    while (!text.atEnd()) {
      text.nextLine();
      lines++;
    }
    assertThat(lines).isEqualTo(2000);
  }

  @Test
  void aMissingFileIsAnUncheckedIoErrorNamingIt() {
    ProcFile file = new ProcFile(root + "/proc/nothing");

    assertThatThrownBy(() -> file.read(new ProcText()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("/proc/nothing");
  }

  @Test
  void numbersTooLongSaturateAndGarbageReadsAsMinusOne() {
    ProcText text = ProcText.of("99999999999999999999999 x12 0x1003 7\n");
    assertThat(text.nextLong()).isEqualTo(Long.MAX_VALUE);
    assertThat(text.nextLong()).isEqualTo(-1);
    assertThat(text.nextHex()).isEqualTo(0x1003);
    assertThat(text.nextLong()).isEqualTo(7);
    assertThat(text.atLineEnd()).isTrue();
  }

  @Test
  void hostFactsComeFromTheKernelAndOsRelease() throws IOException {
    write("/proc/sys/kernel/hostname", "web-1\n");
    write("/proc/sys/kernel/osrelease", "6.1.0-18-amd64\n");
    write(
        "/etc/os-release",
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
            + "VERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\n");
    write("/sys/devices/system/cpu/present", "0-3,8-11\n");

    assertThat(LinuxHost.facts(root.toString()))
        .isEqualTo(
            new HostFacts(
                "web-1", "GNU/Linux Debian GNU/Linux 12 (bookworm) build 6.1.0-18-amd64", 12));
  }

  @Test
  void cpuListsGiveTheirHighestNumber() {
    assertThat(LinuxHost.highestInRange("0")).isZero();
    assertThat(LinuxHost.highestInRange("0-63")).isEqualTo(63);
    assertThat(LinuxHost.highestInRange("0,2-5,7")).isEqualTo(7);
    assertThat(LinuxHost.highestInRange("")).isEqualTo(-1);
  }
}
