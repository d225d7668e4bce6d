package io.vigia.agent.link;

import static io.vigia.agent.link.LinkFixtures.T0;
import static io.vigia.agent.link.LinkFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.vigia.codec.Protocol;
import io.vigia.proto.Frame;
import io.vigia.proto.Snapshot;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent between collectors of two protocol versions, over real sockets: compact snapshots to a
 * collector that announces protocol 2; after a failover to one of protocol 1, the classic form
 * only, including for the compact snapshots still in the spool.
 */
class CollectorVersionsTest {

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Waits (spinning, at most 10 s) until the link has handled a Welcome. */
  private static void awaitConnected(CollectorLink link) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!link.connected()) {
      assertThat(System.nanoTime()).as("connected within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  @Test
  void compactToANewerCollectorThenClassicOnlyAfterFailingOverToAnOlderOne() throws Exception {
    FakeCollector newer = new FakeCollector(group, 2, false);
    FakeCollector older = new FakeCollector(group, 1, false);
    AgentIdentity identity =
        new AgentIdentity("web-1", "web-1", "Linux", 2, "test", 9, Duration.ofSeconds(1));
    CollectorLink.Settings settings =
        CollectorLink.Settings.builder()
            .collectors(List.of(newer.address(), older.address()))
            .spoolSamples(100)
            .spoolBytes(1 << 20)
            .stopWait(Duration.ofSeconds(1))
            .primaryCheckEvery(Duration.ofHours(1))
            .build();
    // The time base from a clock of its own, apart from the samples' times; backoff without jitter.
    InstantSource clock = InstantSource.fixed(T0.minusSeconds(60));
    Backoff backoff = ExponentialBackoff.withDefaults(() -> 0.5);
    try (CollectorLink link = new CollectorLink(settings, identity, clock, backoff)) {
      link.start();
      Frame hello = newer.next();
      // A Hello every collector accepts, naming the newer version apart.
      assertThat(hello.getHello().getProtocolVersion()).isEqualTo(1);
      assertThat(hello.getHello().getMaxProtocolVersion()).isEqualTo(Protocol.VERSION);
      long base = hello.getHello().getTimeBaseMs();
      assertThat(base).isEqualTo(clock.millis());
      // Samples offered before the Welcome is handled are written classic, rightly: wait for it.
      awaitConnected(link);

      for (long seq = 1; seq <= 3; seq++) {
        link.offer(sample(seq));
      }
      for (long seq = 1; seq <= 3; seq++) {
        Snapshot s = newer.next().getSnapshot();
        assertThat(s.getSeq()).isEqualTo(seq);
        assertThat(s.hasTimeSkewMs()).as("compact").isTrue();
        assertThat(base + seq * 1000 + s.getTimeSkewMs())
            .isEqualTo(sample(seq).time().toEpochMilli());
      }

      newer.close();
      // Before the older collector's Welcome (the agent reconnects after a backoff of about 1 s):
      // written compact still, and spooled.
      link.offer(sample(4));
      Frame helloAgain = older.next();
      assertThat(helloAgain.getHello().getTimeBaseMs()).isEqualTo(base);
      link.offer(sample(5));

      for (long seq = 1; seq <= 5; seq++) {
        Snapshot s = older.next().getSnapshot();
        assertThat(s.getSeq()).isEqualTo(seq);
        assertThat(s.hasTimeSkewMs()).as("classic").isFalse();
        assertThat(s.getTimeMs()).isEqualTo(sample(seq).time().toEpochMilli());
        assertThat(s.getIntervalMs()).isEqualTo(1002);
        assertThat(s.getCpu().getModesCount()).isZero();
        assertThat(s.getCpu().getUser()).isEqualTo(201);
        assertThat(s.getCpu().getIdle()).isEqualTo(520);
        assertThat(s.getCpu().getSteal()).isEqualTo(6);
      }
    } finally {
      newer.close();
      older.close();
    }
  }
}
