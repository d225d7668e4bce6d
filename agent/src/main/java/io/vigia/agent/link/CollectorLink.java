package io.vigia.agent.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.vigia.agent.sampling.Sample;
import io.vigia.codec.FrameCodec;
import io.vigia.codec.Frames;
import io.vigia.codec.Protocol;
import io.vigia.codec.Transport;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Welcome;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's one persistent connection to a collector: keeps every sample in a bounded {@link
 * Spool} until the collector acknowledges it, sends after each handshake what the collector lacks
 * (oldest first, as fast as the socket takes it, new samples queued behind), and reconnects with
 * exponential backoff when the link goes away.
 *
 * <p>Several collectors may be given: the first is the primary. After a failure the link tries them
 * in order; while it is on a fallback it checks now and then whether the primary is back, and
 * returns to it.
 *
 * <pre>{@code
 * try (CollectorLink link = new CollectorLink(settings, identity)) {
 *   link.start();
 *   link.offer(sample); // from any thread
 * }
 * }</pre>
 *
 * <p>Inside, {@link SpoolPump} sends the spool and {@link Connector} connects where {@link
 * Failover} says; this class wires them to the link's handler and drains on close.
 *
 * <p>Thread-safety: all state lives on the link's single event loop; {@link #offer}, {@link
 * #start}, {@link #close} and the counters may be used from any thread.
 */
public final class CollectorLink implements AutoCloseable, LinkEvents {

  private static final Logger log = LoggerFactory.getLogger(CollectorLink.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Transport TRANSPORT = Transport.best();

  /**
   * How to reach the collectors and how patient to be.
   *
   * @param collectors the primary first, then the fallbacks in order
   * @param spoolSamples samples kept while unacknowledged; the oldest go first when full
   * @param spoolBytes encoded bytes kept while unacknowledged, likewise
   * @param silentAfter close the link after this long without hearing from the collector (at least
   *     three of the collector's heartbeat periods, once it has told them)
   * @param heartbeatEvery send a heartbeat after this long without sending anything
   * @param stopWait how long {@link #close()} waits for the spool to be acknowledged and the
   *     Goodbye to go out
   * @param primaryCheckEvery while on a fallback, how often to check whether the primary is back
   */
  public record Settings(
      List<InetSocketAddress> collectors,
      String token,
      int spoolSamples,
      long spoolBytes,
      Duration silentAfter,
      Duration heartbeatEvery,
      Duration stopWait,
      Duration primaryCheckEvery,
      SslContext tls) {
    public Settings {
      collectors = List.copyOf(collectors);
      if (collectors.isEmpty()) {
        throw new IllegalArgumentException("at least one collector is needed");
      }
      Objects.requireNonNull(token, "token");
    }

    /** Plain TCP. */
    public Settings(
        List<InetSocketAddress> collectors,
        String token,
        int spoolSamples,
        long spoolBytes,
        Duration silentAfter,
        Duration heartbeatEvery,
        Duration stopWait,
        Duration primaryCheckEvery) {
      this(
          collectors,
          token,
          spoolSamples,
          spoolBytes,
          silentAfter,
          heartbeatEvery,
          stopWait,
          primaryCheckEvery,
          null);
    }

    /** Never shows the token. */
    @Override
    public String toString() {
      return "Settings[collectors="
          + collectors
          + ", token="
          + (token.isEmpty() ? "none" : "****")
          + ", spoolSamples="
          + spoolSamples
          + ", spoolBytes="
          + spoolBytes
          + ", silentAfter="
          + silentAfter
          + ", heartbeatEvery="
          + heartbeatEvery
          + ", stopWait="
          + stopWait
          + ", primaryCheckEvery="
          + primaryCheckEvery
          + ", tls="
          + (tls == null ? "none" : "on")
          + "]";
    }
  }

  private final Settings settings;
  private final EventLoopGroup group;
  private final EventLoop loop;
  // Event-loop confined.
  private final SpoolPump pump;
  private final Connector connector;
  // Read from any thread.
  private volatile long ackedUpTo;
  private volatile long dropped;
  private volatile boolean closing;
  private volatile boolean connected;

  public CollectorLink(Settings settings, AgentIdentity identity) {
    this(
        settings,
        identity,
        InstantSource.system(),
        // current() on the loop, where the delays are drawn: a ThreadLocalRandom taken on another
        // thread gives a thread that never called current() an unseeded, fixed sequence.
        ExponentialBackoff.withDefaults(() -> ThreadLocalRandom.current().nextDouble()));
  }

  /**
   * @param clock gives this run's time base, the origin of compact sample times
   * @param backoff how long to wait before trying the collectors again
   */
  CollectorLink(Settings settings, AgentIdentity identity, InstantSource clock, Backoff backoff) {
    this.settings = settings;
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("vigia-agent-io", true), TRANSPORT.ioHandler());
    this.loop = group.next();
    // Fixed for the run, like the Hello itself.
    Hello hello = FrameMapper.hello(identity, settings.token(), clock.millis()).getHello();
    this.pump =
        new SpoolPump(new MemorySpool(settings.spoolSamples(), settings.spoolBytes()), hello);
    Bootstrap bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(TRANSPORT.socketChannel())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis())
            .handler(
                new AgentChannelInitializer(
                    Protocol.DEFAULT_MAX_FRAME_BYTES,
                    settings.silentAfter(),
                    settings.heartbeatEvery(),
                    Frame.newBuilder().setHello(hello).build(),
                    this,
                    settings.tls()));
    this.connector =
        new Connector(
            Dialer.over(bootstrap),
            new Failover(settings.collectors(), backoff),
            loop,
            settings.primaryCheckEvery(),
            this::lost);
  }

  /** Starts connecting; returns at once. */
  public void start() {
    loop.execute(connector::connect);
  }

  /** Queues a sample for the collector; sends it at once if the link is ready. */
  public void offer(Sample sample) {
    loop.execute(
        () -> {
          pump.offer(sample);
          dropped = pump.dropped();
        });
  }

  /** The highest sequence the collector has acknowledged (0: none yet). */
  public long ackedUpTo() {
    return ackedUpTo;
  }

  /** Samples dropped because the spool was full. */
  public long dropped() {
    return dropped;
  }

  /** True while a link is up and its handshake done. */
  public boolean connected() {
    return connected;
  }

  // ---- what the link's handler reports, on the loop ----

  @Override
  public void welcomed(Channel channel, Welcome welcome) {
    raiseAckedUpTo(welcome.getLastStoredSeq());
    if (welcome.getHeartbeatMs() > 0) {
      // Three of the collector's heartbeat periods of silence mean the link is dead.
      Duration threeBeats = Duration.ofMillis(3L * welcome.getHeartbeatMs());
      FrameCodec.adjustLiveness(
          channel.pipeline(),
          threeBeats.compareTo(settings.silentAfter()) > 0 ? threeBeats : settings.silentAfter(),
          settings.heartbeatEvery());
    }
    pump.welcomed(channel, welcome);
    connected = true;
    log.info(
        "Connected to the collector at {} (session {}, protocol {}); {} samples to send",
        Connector.hostAndPort(channel),
        welcome.getSessionId(),
        Math.max(Protocol.BASE_VERSION, welcome.getProtocolVersion()),
        pump.waiting());
    connector.welcomed(channel);
  }

  @Override
  public void acknowledged(long seq) {
    pump.acknowledged(seq);
    raiseAckedUpTo(seq);
  }

  private void raiseAckedUpTo(long seq) {
    if (seq > ackedUpTo) {
      ackedUpTo = seq;
    }
  }

  @Override
  public void refused(Channel channel, ErrorCode code, String message) {
    if (code == ErrorCode.REPLACED) {
      connector.replaced();
      log.error(
          "The collector at {} closed this link: {}. Is another agent running with the same"
              + " --id? Retrying in {}",
          Connector.hostAndPort(channel),
          message,
          Failover.AFTER_REPLACED);
    } else {
      log.error(
          "The collector at {} refused the link: {} ({})",
          Connector.hostAndPort(channel),
          message,
          code);
    }
  }

  @Override
  public void writable(Channel channel) {
    pump.writable(channel);
  }

  /** The welcomed link closed; the connector reconnects unless closing. */
  private void lost(Channel channel) {
    pump.lost();
    connected = false;
    if (!closing) {
      log.warn(
          "Lost the link to the collector at {}; {} samples wait in the spool; reconnecting",
          Connector.hostAndPort(channel),
          pump.waiting());
    }
  }

  // ---- stopping ----

  /**
   * On the loop: waits (at most {@code stopWait}) for the collector to acknowledge what the spool
   * holds, then says Goodbye and closes. The returned future completes when the link is closed, or
   * at once when there is none.
   */
  private Future<Void> stop() {
    Promise<Void> stopped = loop.newPromise();
    Channel channel = pump.channel();
    if (channel == null) {
      return stopped.setSuccess(null);
    }
    channel.closeFuture().addListener(closed -> stopped.trySuccess(null));
    Promise<Void> drained = loop.newPromise();
    drained.addListener(
        whenDrained -> {
          if (pump.waiting() > 0) {
            log.warn("Stopping with {} samples the collector has not acknowledged", pump.waiting());
          }
          channel
              .writeAndFlush(Frames.goodbye("agent stopping"))
              .addListener(ChannelFutureListener.CLOSE);
        });
    pump.whenEmptied(drained);
    if (!drained.isDone()) {
      loop.schedule(
          () -> drained.trySuccess(null), settings.stopWait().toNanos(), TimeUnit.NANOSECONDS);
    }
    return stopped;
  }

  /**
   * Sends what the spool holds if the link is up (waiting at most {@code stopWait}), says Goodbye,
   * closes the link and stops the event loop. Idempotent.
   */
  @Override
  public void close() {
    if (closing) {
      return;
    }
    closing = true;
    connector.stop();
    try {
      Future<Future<Void>> stopping = loop.submit(this::stop);
      if (stopping.awaitUninterruptibly(5, TimeUnit.SECONDS) && stopping.isSuccess()) {
        long patience = settings.stopWait().toMillis() + 2_000;
        if (!stopping.getNow().awaitUninterruptibly(patience)) {
          log.warn("The link did not close within {} ms", patience);
        }
      }
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
