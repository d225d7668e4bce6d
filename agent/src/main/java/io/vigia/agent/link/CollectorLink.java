package io.vigia.agent.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vigia.agent.sampling.Sample;
import io.vigia.codec.Frames;
import io.vigia.codec.Protocol;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one persistent connection to its collector: connects, keeps samples in a bounded
 * {@link Spool} until the collector acknowledges them, replays what the collector lacks after each
 * handshake, and reconnects with exponential backoff when the link goes away.
 *
 * <pre>{@code
 * try (CollectorLink link = new CollectorLink(settings, identity)) {
 *   link.start();
 *   link.offer(sample); // from any thread
 * }
 * }</pre>
 *
 * <p>Thread-safety: all state lives on the link's single event loop; {@link #offer}, {@link #start}
 * and {@link #close} may be called from any thread.
 */
public final class CollectorLink implements AutoCloseable, LinkEvents {

  private static final Logger log = LoggerFactory.getLogger(CollectorLink.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How to reach the collector and how patient to be.
   *
   * @param collector the collector's agent port
   * @param spoolCapacity samples kept while unacknowledged; the oldest go first when full
   * @param silentAfter close the link after this long without hearing from the collector
   * @param heartbeatEvery send a heartbeat after this long without sending anything
   * @param goodbyeWait how long {@link #close()} waits for the Goodbye to go out
   */
  public record Settings(
      InetSocketAddress collector,
      String token,
      int spoolCapacity,
      Duration silentAfter,
      Duration heartbeatEvery,
      Duration goodbyeWait) {}

  private final Settings settings;
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final Backoff backoff =
      ExponentialBackoff.withDefaults(ThreadLocalRandom.current()::nextDouble);
  // Event-loop confined.
  private final Spool spool;
  private Channel ready;
  private boolean reportedUnreachable;
  private volatile boolean closing;

  public CollectorLink(Settings settings, AgentIdentity identity) {
    this.settings = settings;
    this.spool = new Spool(settings.spoolCapacity());
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("vigia-agent-io", true), NioIoHandler.newFactory());
    this.loop = group.next();
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
            .handler(
                new AgentChannelInitializer(
                    Protocol.DEFAULT_MAX_FRAME_BYTES,
                    settings.silentAfter(),
                    settings.heartbeatEvery(),
                    FrameMapper.hello(identity, settings.token()),
                    this));
  }

  /** Starts connecting; returns at once. */
  public void start() {
    loop.execute(this::connect);
  }

  /** Queues a sample for the collector; sends it at once if the link is ready. */
  public void offer(Sample sample) {
    loop.execute(
        () -> {
          spool.add(sample);
          if (ready != null) {
            ready.writeAndFlush(FrameMapper.snapshot(sample), ready.voidPromise());
          }
        });
  }

  private void connect() {
    if (closing) {
      return;
    }
    bootstrap.connect(settings.collector()).addListener(this::connected);
  }

  private void connected(io.netty.util.concurrent.Future<? super Void> future) {
    if (!future.isSuccess()) {
      if (!reportedUnreachable) {
        reportedUnreachable = true;
        log.warn(
            "Cannot reach the collector at {}: {}; retrying with backoff",
            hostAndPort(),
            future.cause().getMessage());
      }
      scheduleReconnect();
      return;
    }
    Channel channel = ((ChannelFuture) future).channel();
    channel.closeFuture().addListener(closed -> disconnected(channel));
  }

  @Override
  public void welcomed(Channel channel, String sessionId, long lastStoredSeq) {
    backoff.reset();
    reportedUnreachable = false;
    spool.acknowledge(lastStoredSeq);
    List<Sample> missing = spool.after(lastStoredSeq);
    log.info(
        "Connected to the collector at {} (session {}); sending {} pending samples",
        hostAndPort(),
        sessionId,
        missing.size());
    for (Sample sample : missing) {
      channel.write(FrameMapper.snapshot(sample), channel.voidPromise());
    }
    channel.flush();
    ready = channel;
  }

  @Override
  public void acknowledged(long seq) {
    spool.acknowledge(seq);
  }

  private void disconnected(Channel channel) {
    if (ready == channel) {
      ready = null;
      if (!closing) {
        log.warn(
            "Lost the link to the collector at {}; {} samples wait in the spool; reconnecting",
            hostAndPort(),
            spool.size());
      }
    }
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closing) {
      return;
    }
    loop.schedule(this::connect, backoff.nextDelay().toNanos(), TimeUnit.NANOSECONDS);
  }

  /** On the loop: sends Goodbye and closes; the returned future completes on close. */
  private ChannelFuture sayGoodbye() {
    Channel channel = ready;
    if (channel == null) {
      return null;
    }
    ready = null;
    channel.writeAndFlush(Frames.goodbye("agent stopping")).addListener(written -> channel.close());
    return channel.closeFuture();
  }

  private String hostAndPort() {
    return settings.collector().getHostString() + ":" + settings.collector().getPort();
  }

  /**
   * Says {@code Goodbye} if the link is up (waiting at most {@code goodbyeWait}), closes it and
   * stops the event loop. Idempotent.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    try {
      io.netty.util.concurrent.Future<ChannelFuture> goodbye = loop.submit(this::sayGoodbye);
      goodbye.awaitUninterruptibly();
      ChannelFuture closed = goodbye.getNow();
      if (closed != null && !closed.awaitUninterruptibly(settings.goodbyeWait().toMillis())) {
        log.warn("The collector did not take the Goodbye within {}", settings.goodbyeWait());
      }
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
