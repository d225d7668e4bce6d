package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vigia.agent.sampling.CpuUsage;
import io.vigia.agent.sampling.Sample;
import io.vigia.codec.FrameCodec;
import io.vigia.codec.Protocol;
import io.vigia.proto.Frame;
import io.vigia.proto.Snapshot;
import io.vigia.proto.Welcome;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent between collectors of two protocol versions, over real sockets: compact snapshots to a
 * collector that announces protocol 2; after a failover to one of protocol 1, the classic form
 * only, including for the compact snapshots still in the spool.
 */
class CollectorVersionsTest {

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  private static final CpuUsage USAGE =
      new CpuUsage(
          375,
          new int[] {500, 250},
          new int[] {201, 3, 150, 520, 100, 11, 9, 6},
          Duration.ofMillis(1002));

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A collector that answers Hello with a Welcome of {@code version} and never acks. */
  private final class FakeCollector {
    final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
    final ChannelGroup links = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    final Channel server;

    FakeCollector(int version) throws InterruptedException {
      server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      links.add(ch);
                      FrameCodec.install(ch.pipeline(), Protocol.DEFAULT_MAX_FRAME_BYTES);
                      ch.pipeline()
                          .addLast(
                              new SimpleChannelInboundHandler<Frame>() {
                                @Override
                                protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
                                  received.add(f);
                                  if (f.hasHello()) {
                                    ctx.writeAndFlush(
                                        Frame.newBuilder()
                                            .setWelcome(
                                                Welcome.newBuilder()
                                                    .setSessionId("s")
                                                    .setProtocolVersion(version))
                                            .build());
                                  }
                                }
                              });
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
    }

    InetSocketAddress address() {
      return (InetSocketAddress) server.localAddress();
    }

    Frame next() throws InterruptedException {
      Frame frame = received.poll(10, TimeUnit.SECONDS);
      assertThat(frame).as("a frame within 10 s").isNotNull();
      return frame;
    }

    void close() {
      server.close().syncUninterruptibly();
      links.close().syncUninterruptibly();
    }
  }

  /** Waits (spinning, at most 10 s) until the link has handled a Welcome. */
  private static void awaitConnected(CollectorLink link) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!link.connected()) {
      assertThat(System.nanoTime()).as("connected within 10 s").isLessThan(deadline);
      Thread.onSpinWait();
    }
  }

  private static Sample sample(long seq) {
    return new Sample(seq, T0.plusMillis(seq * 1000 + 3), Duration.ofSeconds(1), USAGE);
  }

  @Test
  void compactToANewerCollectorThenClassicOnlyAfterFailingOverToAnOlderOne() throws Exception {
    FakeCollector newer = new FakeCollector(2);
    FakeCollector older = new FakeCollector(1);
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
