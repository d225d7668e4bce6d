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
import io.vigia.codec.Frames;
import io.vigia.codec.Protocol;
import io.vigia.journal.DirectoryLock;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Welcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  private static final CpuUsage USAGE =
      new CpuUsage(
          375,
          new int[] {500, 250},
          new int[] {201, 3, 150, 520, 100, 11, 9, 6},
          Duration.ofMillis(1002));

  @TempDir Path dir;

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
  private final ChannelGroup links = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  @AfterEach
  void stop() {
    links.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** A collector of protocol 2 that stores nothing before and acks every snapshot. */
  private InetSocketAddress collector() throws InterruptedException {
    Channel server =
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
                                                  .setProtocolVersion(2))
                                          .build());
                                } else if (f.hasSnapshot()) {
                                  ctx.writeAndFlush(Frames.ack(f.getSnapshot().getSeq()));
                                } else if (f.hasGoodbye()) {
                                  ctx.close();
                                }
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
    links.add(server);
    return (InetSocketAddress) server.localAddress();
  }

  private Frame next() throws InterruptedException {
    Frame frame = received.poll(10, TimeUnit.SECONDS);
    assertThat(frame).as("a frame within 10 s").isNotNull();
    return frame;
  }

  private static AgentIdentity identity(long epoch) {
    return new AgentIdentity("web-1", "web-1", "Linux", 2, "test", epoch, Duration.ofSeconds(1));
  }

  private static Sample sample(long seq) {
    return new Sample(seq, T0.plusMillis(seq * 1000 + 3), Duration.ofSeconds(1), USAGE);
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
