package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigia.agent.sampling.CpuUsage;
import io.vigia.agent.sampling.DiskIo;
import io.vigia.agent.sampling.FileSystemUsage;
import io.vigia.agent.sampling.InterfaceIo;
import io.vigia.agent.sampling.MemoryUsage;
import io.vigia.agent.sampling.Sample;
import io.vigia.agent.sampling.SystemLoad;
import io.vigia.journal.Segment;
import io.vigia.proto.Hello;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A week of outage at the default interval (5 s) with every family, written with the agent's own
 * code (the pump's encoding, the disk spool), fits the default bound with nothing dropped; the
 * bytes per sample it measures are written to {@code target/spool-week.txt}.
 */
class SpoolWeekTest {

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  private static final Duration INTERVAL = Duration.ofSeconds(5);
  private static final long WEEK = Duration.ofDays(7).dividedBy(INTERVAL);

  @TempDir Path dir;

  /** An 8-core machine with 3 file systems, 2 disks and 2 interfaces, its figures moving. */
  private static Sample sample(long seq) {
    int wobble = (int) (seq * 37 % 300);
    int[] cores = new int[8];
    for (int i = 0; i < cores.length; i++) {
      cores[i] = (wobble * (i + 1)) % 1000;
    }
    return new Sample(
        seq,
        T0.plus(INTERVAL.multipliedBy(seq)).plusMillis(seq % 7),
        INTERVAL,
        new CpuUsage(wobble, cores, new int[] {201, 3, 150, 520, 100, 11, 9, 6}, INTERVAL),
        new MemoryUsage(16L << 30, (12L << 30) - seq * 4096, 8L << 30, 1L << 28, 2L << 30, 0, 0, 0),
        new SystemLoad(52 + wobble, 48, 40, 86_400 + seq * 5, 312, 1_204 + wobble, 210_000, 90_000),
        List.of(
            new FileSystemUsage(
                "/", "/dev/vda1", "ext4", 252L << 30, 23L << 30 + seq, 80L << 30, 1000, 10),
            new FileSystemUsage(
                "/home", "/dev/vda2", "ext4", 500L << 30, 200L << 30, 250L << 30, 1000, 10),
            new FileSystemUsage(
                "/var", "/dev/vdb1", "xfs", 100L << 30, 10L << 30 + seq, 90L << 30, 1000, 10)),
        List.of(
            new DiskIo("vda", wobble * 1000L, 12 << 20, wobble, 4_500, 32),
            new DiskIo("vdb", 0, wobble * 4096L, 0, wobble, 3)),
        List.of(
            new InterfaceIo("eth0", true, 1_200 + wobble, 300, 1_200, 800, 0, 0, 0, 0),
            new InterfaceIo("eth1", true, 20 * wobble, 30, 12, 8, 0, 0, 0, 0)));
  }

  @Test
  void aWeekAtFiveSecondsWithEveryFamilyFitsTheDefaultBoundWithNothingDropped() throws IOException {
    long[] now = {T0.toEpochMilli()};
    InstantSource clock = () -> Instant.ofEpochMilli(now[0]);
    Hello hello =
        FrameMapper.hello(
                new AgentIdentity("web-1", "web-1", "Linux", 8, "test", 42, INTERVAL),
                "",
                T0.toEpochMilli())
            .getHello();
    // The defaults of vigia-agent: --spool-bytes 64MiB, --spool 7d, --spool-sync 5s.
    SpoolDirectory.Bounds defaults =
        SpoolDirectory.Bounds.of(64L << 20, Duration.ofDays(7), Duration.ofSeconds(5));
    try (SpoolDirectory spool =
        SpoolDirectory.open(dir, hello, defaults, clock, Runnable::run, System::nanoTime)) {
      SpoolPump pump = new SpoolPump(spool.current(), hello);
      for (long seq = 1; seq <= WEEK; seq++) {
        now[0] += INTERVAL.toMillis();
        pump.offer(sample(seq));
        if (seq % 720 == 0) {
          spool.tick();
        }
      }

      long bytes = Segment.list(dir).stream().mapToLong(Segment::bytes).sum();
      assertThat(spool.dropped()).isZero();
      assertThat(spool.current().size()).isEqualTo(WEEK);
      assertThat(bytes).isEqualTo(spool.bytes()).isLessThan(64L << 20);
      double perSample = (double) bytes / WEEK;
      assertThat(perSample).isLessThan(512);
      Files.writeString(
          Path.of("target", "spool-week.txt"),
          String.format(
              "%d samples (7 days at 5 s, every family: 8 cores, 3 file systems, 2 disks,"
                  + " 2 interfaces): %d bytes on disk in %d segments, %.1f bytes per sample%n",
              WEEK, bytes, Segment.list(dir).size(), perSample));
    }
  }
}
