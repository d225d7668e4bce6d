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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
   * @param credentials the per-agent credentials collectors issued, presented in every Hello
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
      SslContext tls,
      SpoolOnDisk disk,
      AgentCredentials credentials) {
    public Settings {
      collectors = List.copyOf(collectors);
      if (collectors.isEmpty()) {
        throw new IllegalArgumentException("at least one collector is needed");
      }
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(credentials, "credentials");
    }

    /** Credentials in memory only. */
    public Settings(
        List<InetSocketAddress> collectors,
        String token,
        int spoolSamples,
        long spoolBytes,
        Duration silentAfter,
        Duration heartbeatEvery,
        Duration stopWait,
        Duration primaryCheckEvery,
        SslContext tls,
        SpoolOnDisk disk) {
      this(
          collectors,
          token,
          spoolSamples,
          spoolBytes,
          silentAfter,
          heartbeatEvery,
          stopWait,
          primaryCheckEvery,
          tls,
          disk,
          AgentCredentials.inMemory());
    }

    /** The agent's defaults, to change where needed before {@code build()}. */
    public static LinkSettingsBuilder builder() {
      return new LinkSettingsBuilder();
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
          + ", disk="
          + disk
          + ", credentials="
          + credentials
          + "]";
    }
  }

  private final Settings settings;
  private final EventLoopGroup group;
  private final EventLoop loop;
  // Event-loop confined.
  // This run's samples.
  private final SpoolPump current;
  // Earlier runs' samples found on disk at start, oldest first: delivered before this run's, each
  // on a link of its own that introduces itself with that run's Hello.
  private final ArrayDeque<SpoolPump> earlier = new ArrayDeque<>();
  // Whose Hello the newest link sent, and whose samples the welcomed link carries.
  private SpoolPump helloFrom;
  private SpoolPump pump;
  private final SpoolDirectory directory;
  private final ExecutorService syncer;
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
    this.syncer =
        settings.disk() == null
            ? null
            : Executors.newSingleThreadExecutor(
                new DefaultThreadFactory("vigia-agent-spool", true));
    this.directory = settings.disk() == null ? null : openDirectory(settings, hello, clock);
    if (directory == null) {
      this.current = new SpoolPump(memorySpool(settings), hello);
    } else {
      this.current = new SpoolPump(directory.current(), hello);
      directory.onMemory(() -> directory.current().toMemory(memorySpool(settings)));
      for (EpochSpool spool : directory.earlier()) {
        earlier.add(new SpoolPump(spool, spool.hello()));
      }
    }
    this.pump = current;
    this.helloFrom = current;
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
                    this::nextHello,
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

  /** The memory spool: this run's, or the one the disk spool falls back to. */
  private static MemorySpool memorySpool(Settings settings) {
    return new MemorySpool(settings.spoolSamples(), settings.spoolBytes());
  }

  /** Opens the spool directory, or says in one line why not and returns null (memory only). */
  private SpoolDirectory openDirectory(Settings settings, Hello hello, InstantSource clock) {
    SpoolOnDisk disk = settings.disk();
    try {
      SpoolDirectory opened =
          SpoolDirectory.open(
              disk.dir(),
              hello,
              SpoolDirectory.Bounds.of(disk.maxBytes(), disk.maxAge(), disk.syncEvery()),
              clock,
              syncer,
              System::nanoTime);
      SpoolDirectory.Recovery found = opened.recovery();
      if (found.samples() > 0) {
        log.info(
            "Spool {}: {} samples of {} earlier run(s) to send, the oldest taken at {}{}",
            disk.dir(),
            found.samples(),
            found.runs(),
            Instant.ofEpochMilli(found.oldestMillis()),
            found.damagedSamples() > 0
                ? "; " + found.damagedSamples() + " lost to damaged records"
                : "");
      } else {
        log.info("Spooling on disk in {}", disk.dir());
      }
      return opened;
    } catch (IOException | RuntimeException e) {
      log.error(
          "Cannot use the spool directory {}: {}; keeping samples in memory only (at most {}"
              + " bytes), so a restart of the agent loses what the collector has not acknowledged",
          disk.dir(),
          e.getMessage() != null ? e.getMessage() : e.toString(),
          settings.spoolBytes());
      return null;
    }
  }

  /** Starts connecting; returns at once. */
  public void start() {
    if (directory != null) {
      long every = settings.disk().syncEvery().toNanos();
      loop.scheduleAtFixedRate(directory::tick, every, every, TimeUnit.NANOSECONDS);
    }
    loop.execute(connector::connect);
  }

  /**
   * For the link being opened, on the loop: the Hello of the oldest run with samples to send, so
   * that each run's samples are delivered in its own epoch, oldest run first.
   */
  private Frame nextHello() {
    helloFrom = earlier.isEmpty() ? current : earlier.peekFirst();
    Hello hello = helloFrom.hello();
    // Never spooled: the credential for the collector this link goes to, if it issued one.
    hello =
        hello.toBuilder()
            .setKeepsCredential(true)
            .setCredential(
                settings
                    .credentials()
                    .forCollector(Connector.hostAndPort(connector.target()), hello.getAgentId()))
            .build();
    if (directory != null) {
      // An earlier run's was stored without the token, which may have changed since.
      Instant oldest = directory.oldestSample();
      hello =
          hello.toBuilder()
              .setToken(settings.token())
              .setSpoolDiskBytes(directory.bytes())
              .setSpoolOldestMs(oldest == null ? 0 : oldest.toEpochMilli())
              .setSpoolRecovered(directory.recovery().samples())
              .build();
    }
    return Frame.newBuilder().setHello(hello).build();
  }

  /** Queues a sample for the collector; sends it at once if the link is ready. */
  public void offer(Sample sample) {
    loop.execute(
        () -> {
          current.offer(sample);
          dropped = current.dropped();
          if (pump != current && pump.waiting() == 0) {
            delivered(); // a bound dropped what was left of an earlier run
          }
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
    if (!welcome.getCredential().isEmpty()) {
      String collector = Connector.hostAndPort(connector.target());
      settings
          .credentials()
          .keep(collector, helloFrom.hello().getAgentId(), welcome.getCredential());
      log.info(
          "Enrolled with the collector at {}: its credential for this agent is kept in {}",
          collector,
          settings.credentials());
    }
    raiseAckedUpTo(welcome.getLastStoredSeq());
    if (welcome.getHeartbeatMs() > 0) {
      // Three of the collector's heartbeat periods of silence mean the link is dead.
      Duration threeBeats = Duration.ofMillis(3L * welcome.getHeartbeatMs());
      FrameCodec.adjustLiveness(
          channel.pipeline(),
          threeBeats.compareTo(settings.silentAfter()) > 0 ? threeBeats : settings.silentAfter(),
          settings.heartbeatEvery());
    }
    pump = helloFrom;
    pump.welcomed(channel, welcome);
    connected = true;
    log.info(
        "Connected to the collector at {} (session {}, protocol {}); {} samples to send",
        Connector.hostAndPort(channel),
        welcome.getSessionId(),
        Math.max(Protocol.BASE_VERSION, welcome.getProtocolVersion()),
        pump.waiting());
    connector.welcomed(channel);
    if (pump != current && pump.waiting() == 0) {
      delivered();
    }
  }

  @Override
  public void acknowledged(long seq) {
    pump.acknowledged(seq);
    if (pump == current) {
      raiseAckedUpTo(seq);
    } else if (pump.waiting() == 0) {
      delivered();
    }
  }

  /**
   * The collector holds every sample of the earlier run the link carries: the link closes, and the
   * next one (at once) carries the next run's.
   */
  private void delivered() {
    SpoolPump done = pump;
    earlier.remove(done);
    if (done.spool() instanceof EpochSpool spool) {
      directory.delivered(spool);
    }
    log.info(
        "Delivered the spooled samples of an earlier run (epoch {}); {} earlier run(s) left",
        Long.toUnsignedString(done.hello().getEpoch()),
        earlier.size());
    Channel channel = done.channel();
    pump = current;
    if (channel != null) {
      connector.again();
      channel
          .writeAndFlush(Frames.goodbye("agent moving on to its next run's samples"))
          .addListener(ChannelFutureListener.CLOSE);
    }
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
    } else if (code == ErrorCode.BAD_CREDENTIAL
        || code == ErrorCode.CERTIFICATE_MISMATCH
        || code == ErrorCode.AGENT_REVOKED
        || code == ErrorCode.ID_IN_USE) {
      log.error(
          "The collector at {} refused this agent's identity: {} ({}); retrying with backoff",
          Connector.hostAndPort(channel),
          message,
          code);
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

  /** Samples held and not acknowledged, every run's. */
  private long waiting() {
    long waiting = current.waiting();
    for (SpoolPump run : earlier) {
      waiting += run.waiting();
    }
    return waiting;
  }

  /** The welcomed link closed; the connector reconnects unless closing. */
  private void lost(Channel channel) {
    pump.lost();
    current.lost();
    pump = current;
    connected = false;
    if (!closing && !connector.reconnectingAtOnce()) {
      log.warn(
          "Lost the link to the collector at {}; {} samples wait in the spool; reconnecting",
          Connector.hostAndPort(channel),
          waiting());
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
      stopped.setSuccess(null);
      return stopped;
    }
    channel.closeFuture().addListener(closed -> stopped.trySuccess(null));
    Promise<Void> drained = loop.newPromise();
    drained.addListener(
        whenDrained -> {
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

  /** On the loop, last: says what the collector has not acknowledged, and lets the spool go. */
  private void closeSpool() {
    long waiting = waiting();
    if (directory != null) {
      boolean onDisk = directory.writing();
      directory.close();
      if (waiting > 0) {
        log.warn(
            "Stopping with {} samples the collector has not acknowledged; {}",
            waiting,
            onDisk
                ? "they stay in " + directory.path() + " and are sent after the next start"
                : "the disk failed, so those not in " + directory.path() + " are lost");
      }
    } else if (waiting > 0) {
      log.warn(
          "Stopping with {} samples the collector has not acknowledged; they are lost (memory"
              + " spool: give --spool-dir to keep them across restarts)",
          waiting);
    }
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
      // The link is closed or given up on: what is left is said, and stays on disk if it can.
      Future<?> closed = loop.submit(this::closeSpool);
      closed.awaitUninterruptibly(10, TimeUnit.SECONDS);
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
      if (syncer != null) {
        syncer.shutdown();
      }
    }
  }
}
