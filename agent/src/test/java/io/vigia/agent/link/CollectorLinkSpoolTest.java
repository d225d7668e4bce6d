package io.vigia.agent.link;

import static io.vigia.agent.link.LinkFixtures.T0;
import static io.vigia.agent.link.LinkFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.vigia.journal.DirectoryLock;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CollectorLink} with a spool directory, over real sockets to a collector that acks every
 * snapshot: the samples earlier runs left are delivered first, each run on a link of its own that
 * introduces itself with that run's Hello, then the current run's; a directory it cannot use leaves
 * it working in memory.
 */
class CollectorLinkSpoolTest {

  @TempDir Path dir;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private FakeCollector collector;

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.close();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A collector of protocol 2 that stores nothing before and acks every snapshot. */
  private InetSocketAddress collector() throws InterruptedException {
    collector = new FakeCollector(group, 2, true);
    return collector.address();
  }

  private Frame next() throws InterruptedException {
    return collector.next();
  }

  private static AgentIdentity identity(long epoch) {
    return new AgentIdentity("web-1", "web-1", "Linux", 2, "test", epoch, Duration.ofSeconds(1));
  }

  /** What an earlier run left: samples 1 to {@code count} of {@code epoch}, then a kill -9. */
  private void earlierRun(long epoch, int count) throws IOException {
    Hello hello = FrameMapper.hello(identity(epoch), "", T0.toEpochMilli()).getHello();
    SpoolDirectory spool =
        SpoolDirectory.open(
            dir,
            hello,
            SpoolDirectory.Bounds.of(1 << 20, Duration.ofDays(1), Duration.ofSeconds(1)),
            InstantSource.system(),
            Runnable::run,
            System::nanoTime);
    SpoolPump pump = new SpoolPump(spool.current(), hello);
    for (long seq = 1; seq <= count; seq++) {
      pump.offer(sample(seq));
    }
    spool.abandon();
  }

  private CollectorLink.Settings settings(InetSocketAddress collector) {
    return CollectorLink.Settings.builder()
        .collector(collector)
        .token("token-now")
        .spoolSamples(100)
        .spoolBytes(1 << 20)
        .stopWait(Duration.ofSeconds(2))
        .primaryCheckEvery(Duration.ofHours(1))
        .disk(new SpoolOnDisk(dir, 1 << 20, Duration.ofDays(1), Duration.ofSeconds(1)))
        .build();
  }

  private static CollectorLink link(CollectorLink.Settings settings, long epoch) {
    return new CollectorLink(
        settings,
        identity(epoch),
        InstantSource.system(),
        ExponentialBackoff.withDefaults(() -> 0.5));
  }

  /** The next Hello, then its snapshots' sequences up to the Goodbye or {@code count} of them. */
  private List<Long> linkOf(long epoch, int count) throws InterruptedException {
    Frame hello = next();
    assertThat(hello.hasHello()).as("a Hello, not %s", hello.getBodyCase()).isTrue();
    assertThat(hello.getHello().getEpoch()).isEqualTo(epoch);
    assertThat(hello.getHello().getToken()).isEqualTo("token-now");
    List<Long> seqs = new ArrayList<>();
    while (seqs.size() < count) {
      Frame frame = next();
      if (frame.hasGoodbye()) {
        break;
      }
      seqs.add(frame.getSnapshot().getSeq());
    }
    return seqs;
  }

  @Test
  void earlierRunsAreDeliveredFirstEachUnderItsOwnEpochThenTheCurrentRun() throws Exception {
    earlierRun(1, 5);
    earlierRun(2, 3);
    InetSocketAddress collector = collector();

    try (CollectorLink link = link(settings(collector), 9)) {
      link.offer(sample(1));
      link.start();
      link.offer(sample(2));

      assertThat(linkOf(1, 99)).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(linkOf(2, 99)).containsExactly(1L, 2L, 3L);
      assertThat(linkOf(9, 2)).containsExactly(1L, 2L);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (link.ackedUpTo() < 2) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.onSpinWait();
      }
    }

    // Everything was acknowledged: the next start finds nothing to replay.
    Hello hello = FrameMapper.hello(identity(10), "", T0.toEpochMilli()).getHello();
    try (SpoolDirectory reopened =
        SpoolDirectory.open(
            dir,
            hello,
            SpoolDirectory.Bounds.of(1 << 20, Duration.ofDays(1), Duration.ofSeconds(1)),
            InstantSource.system(),
            Runnable::run,
            System::nanoTime)) {
      assertThat(reopened.earlier()).isEmpty();
    }
  }

  @Test
  void aDirectoryHeldByAnotherAgentLeavesTheLinkWorkingInMemory() throws Exception {
    InetSocketAddress collector = collector();
    try (DirectoryLock held = DirectoryLock.acquire(dir);
        CollectorLink link = link(settings(collector), 9)) {
      link.start();
      link.offer(sample(1));

      assertThat(linkOf(9, 1)).containsExactly(1L);
    }
  }
}
