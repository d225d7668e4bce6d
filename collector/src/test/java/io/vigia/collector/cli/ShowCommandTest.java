package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfig;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.registry.SystemFigures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ShowCommandTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private record Run(int exitCode, String out, String err) {}

  private static Run vigia(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VigiaCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private static Collector startCollector() {
    return Collector.start(
        CollectorConfig.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .http(new InetSocketAddress("127.0.0.1", 0))
            .history(10)
            .build(),
        InstantSource.fixed(T0));
  }

  private static void addHost(HostRegistry registry, Families families) {
    registry.connect(
        1,
        new HostIdentity(
            "web 1/a", "web-1.example.org", "Debian GNU/Linux 12", 2, "0.1.0", 77, 5000),
        "10.0.0.7:50412");
    registry.append(
        1,
        "web 1/a",
        new StoredSample(
            77,
            1,
            T0,
            5000,
            new CpuFigures(417, new int[] {400, 434}, 300, 0, 100, 17, 0, 0, 0, 583),
            families));
  }

  private static final Families EVERYTHING =
      new Families(
          new MemoryFigures(16L << 30, 12L << 30, 8L << 30, 210L << 20, 2L << 30, 0, 0, -1),
          new SystemFigures(52, 48, 40, 3 * 86_400 + 4 * 3600, 312, 1_204, 210_000, 90_500),
          List.of(
              new FileSystemFigures(
                  "/", "/dev/vda", "ext4", 252L << 30, 23L << 30, 80L << 30, 1_000, 12)),
          List.of(new DiskFigures("vda", 0, 12_897_484, -1, 4_500, 32)),
          List.of(
              new InterfaceFigures("eth0", true, 1_229, 300, 1_200, 800, 0, 0, 20, 0),
              new InterfaceFigures("eth1", false, -1, -1, -1, -1, -1, -1, -1, -1)));

  @Test
  void showPrintsTheLatestOfEveryFamilyInAReadableBlock() {
    try (Collector collector = startCollector()) {
      addHost(collector.registry(), EVERYTHING);

      Run run =
          vigia(
              "show", "web 1/a", "--url", "http://127.0.0.1:" + collector.httpAddress().getPort());

      assertThat(run.err()).isEmpty();
      assertThat(run.exitCode()).isZero();
      assertThat(
              run.out().lines().skip(1).toList().subList(1, run.out().lines().toList().size() - 1))
          .containsExactly(
              "Delivery: nothing dropped, 0 replays ignored, 1 link since the collector started",
              "",
              "CPU     41.7 % busy   2 cores",
              "Load    0.52 0.48 0.40   up 3d 4h   312 processes, 1204 threads",
              "        context switches 2.1k/s   interrupts 905/s",
              "Memory  4.0 GiB used of 16.0 GiB (25.0 %)   available 12.0 GiB   cached 8.0 GiB"
                  + "   buffers 210 MiB",
              "Swap    0 B used of 2.0 GiB   in 0 pages/s   out -",
              "",
              "File systems",
              "  MOUNT  TYPE  DEVICE       SIZE      USED      FREE    USE  INODES",
              "  /      ext4  /dev/vda  252 GiB  23.0 GiB  80.0 GiB  22.3%    1.2%",
              "",
              "Disks",
              "  DEVICE   READ       WRITE  READS  WRITES  BUSY",
              "  vda     0 B/s  12.3 MiB/s      -    45/s  3.2%",
              "",
              "Network (errors and drops: both directions)",
              "  INTERFACE  LINK   RECEIVED     SENT  RX PKTS  TX PKTS  ERRORS  DROPS",
              "  eth0       up    1.2 KiB/s  300 B/s     12/s      8/s     0/s  0.2/s",
              "  eth1       down          -        -        -        -       -      -");
      assertThat(run.out()).startsWith("web 1/a  (web-1.example.org, Debian GNU/Linux 12)\n");
    }
  }

  @Test
  void samplesTheAgentHadToDropAreShown() {
    try (Collector collector = startCollector()) {
      addHost(collector.registry(), Families.NONE);
      collector
          .registry()
          .append(
              1,
              "web 1/a",
              new StoredSample(
                  77,
                  40,
                  T0.plusSeconds(200),
                  5000,
                  new CpuFigures(417, new int[] {400, 434}, 300, 0, 100, 17, 0, 0, 0, 583),
                  Families.NONE),
              38);

      Run run =
          vigia(
              "show", "web 1/a", "--url", "http://127.0.0.1:" + collector.httpAddress().getPort());

      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .contains(
              "Delivery: 38 samples dropped by the agent (its spool was full while the collector"
                  + " was unreachable), 0 replays ignored, 1 link since the collector started");
    }
  }

  @Test
  void theAgentsSpoolOnDiskIsShownAsItsLatestLinkStarted() {
    try (Collector collector = startCollector()) {
      collector
          .registry()
          .connect(
              1,
              new HostIdentity(
                  "spooler",
                  "spooler",
                  "Linux",
                  2,
                  "0.1.0",
                  77,
                  5000,
                  new HostIdentity.Spool(3 << 20, T0.toEpochMilli(), 1234)),
              "10.0.0.7:40000");

      Run run =
          vigia(
              "show", "spooler", "--url", "http://127.0.0.1:" + collector.httpAddress().getPort());

      assertThat(run.exitCode()).isZero();
      assertThat(run.out())
          .contains(
              "Agent spool on disk: 3.0 MiB, oldest sample 2025-03-01T10:00:00Z at the last"
                  + " connect, 1234 samples recovered from disk at the agent's start");
    }
  }

  @Test
  void anAgentWithoutASpoolOnDiskSaysNothingOfIt() {
    try (Collector collector = startCollector()) {
      addHost(collector.registry(), Families.NONE);

      Run run =
          vigia(
              "show", "web 1/a", "--url", "http://127.0.0.1:" + collector.httpAddress().getPort());

      assertThat(run.out()).doesNotContain("spool on disk");
    }
  }

  @Test
  void anOldAgentShowsOnlyItsCpu() {
    try (Collector collector = startCollector()) {
      addHost(collector.registry(), Families.NONE);

      Run run =
          vigia(
              "show", "web 1/a", "--url", "http://127.0.0.1:" + collector.httpAddress().getPort());

      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).containsPattern("CPU +41.7 % busy").doesNotContain("Memory", "Disks");
    }
  }

  @Test
  void anAgentWithoutCpuOrMemoryStartsWithItsTablesAfterOneBlankLine() {
    try (Collector collector = startCollector()) {
      collector
          .registry()
          .connect(
              1,
              new HostIdentity("disk-1", "disk-1", "Linux", 2, "0.1.0", 77, 5000),
              "10.0.0.8:50412");
      collector
          .registry()
          .append(
              1,
              "disk-1",
              new StoredSample(
                  77,
                  1,
                  T0,
                  5000,
                  null,
                  new Families(
                      null,
                      null,
                      List.of(),
                      List.of(new DiskFigures("vda", 0, 0, 0, 0, 0)),
                      List.of())));

      Run run =
          vigia("show", "disk-1", "--url", "http://127.0.0.1:" + collector.httpAddress().getPort());

      assertThat(run.exitCode()).isZero();
      assertThat(run.out().lines().skip(3).limit(2)).containsExactly("", "Disks");
      assertThat(run.out()).doesNotContain("CPU");
    }
  }

  @Test
  void anUnknownHostExitsOneWithTheCollectorsMessage() {
    try (Collector collector = startCollector()) {
      Run run =
          vigia("show", "nope", "--url", "http://127.0.0.1:" + collector.httpAddress().getPort());

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err().strip()).isEqualTo("vigia: no agent with id 'nope'");
    }
  }
}
