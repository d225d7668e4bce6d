package io.vigia.collector;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vigia.codec.Frames;
import io.vigia.codec.Transport;
import io.vigia.collector.http.HttpLimits;
import io.vigia.collector.http.QueryHttpInitializer;
import io.vigia.collector.ingest.IngestChannelInitializer;
import io.vigia.collector.ingest.LinkGuards;
import io.vigia.collector.ingest.StoreRecovery;
import io.vigia.collector.metrics.CollectorMetrics;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.remotewrite.RemoteWrite;
import io.vigia.collector.remotewrite.RemoteWriteSettings;
import io.vigia.collector.store.Store;
import io.vigia.collector.store.StoreApiHandler;
import io.vigia.collector.store.StoreConfig;
import io.vigia.collector.store.StoreMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A running collector: the agent listener, the HTTP side and the {@link HostRegistry} they share.
 *
 * <pre>{@code
 * try (Collector collector = Collector.start(settings, InstantSource.system())) {
 *   InetSocketAddress agents = collector.ingestAddress(); // the bound port, also for port 0
 * }
 * }</pre>
 */
public final class Collector implements AutoCloseable {

  /**
   * Where to listen and how much to keep.
   *
   * @param listen the agent port
   * @param http the HTTP side (API)
   * @param historyCapacity samples kept per host
   * @param guards the fleet token and the limits on links
   * @param httpToken every HTTP request must carry {@code Authorization: Bearer httpToken}; empty
   *     for none
   * @param agentTls TLS on the agent port (mutual when it trusts client certificates), or null for
   *     plain TCP
   * @param httpLimits request size and query range limits of the HTTP side
   */
  public record Settings(
      InetSocketAddress listen,
      InetSocketAddress http,
      int historyCapacity,
      IngestChannelInitializer.Limits limits,
      LinkGuards guards,
      String httpToken,
      SslContext agentTls,
      HttpLimits httpLimits) {
    public Settings {
      Objects.requireNonNull(httpLimits, "httpLimits");
      Objects.requireNonNull(listen, "listen");
      Objects.requireNonNull(http, "http");
      Objects.requireNonNull(limits, "limits");
      Objects.requireNonNull(guards, "guards");
      Objects.requireNonNull(httpToken, "httpToken");
      if (historyCapacity < 1) {
        throw new IllegalArgumentException(
            "history must keep at least 1 sample: " + historyCapacity);
      }
    }

    /** The default HTTP limits. */
    public Settings(
        InetSocketAddress listen,
        InetSocketAddress http,
        int historyCapacity,
        IngestChannelInitializer.Limits limits,
        LinkGuards guards,
        String httpToken,
        SslContext agentTls) {
      this(listen, http, historyCapacity, limits, guards, httpToken, agentTls, HttpLimits.DEFAULTS);
    }

    /** No token, the default limits on links. */
    public Settings(
        InetSocketAddress listen,
        InetSocketAddress http,
        int historyCapacity,
        IngestChannelInitializer.Limits limits) {
      this(listen, http, historyCapacity, limits, LinkGuards.DEFAULTS);
    }

    /** No HTTP token, plain TCP for agents. */
    public Settings(
        InetSocketAddress listen,
        InetSocketAddress http,
        int historyCapacity,
        IngestChannelInitializer.Limits limits,
        LinkGuards guards) {
      this(listen, http, historyCapacity, limits, guards, "", null);
    }

    /** Never shows the tokens. */
    @Override
    public String toString() {
      return "Settings[listen="
          + listen
          + ", http="
          + http
          + ", historyCapacity="
          + historyCapacity
          + ", limits="
          + limits
          + ", guards="
          + guards
          + ", httpToken="
          + (httpToken.isEmpty() ? "none" : "****")
          + ", agentTls="
          + (agentTls == null ? "none" : "on")
          + ", httpLimits="
          + httpLimits
          + "]";
    }
  }

  private final HostRegistry registry;
  private final CollectorMetrics metrics;
  private final Transport transport;
  private final EventLoopGroup acceptors;
  private final EventLoopGroup workers;
  // The HTTP side renders JSON and /metrics scrapes (tens of ms for a large fleet): on its own
  // thread, so a scrape never holds up the agent links sharing an event loop with it.
  private final EventLoopGroup httpWorkers;
  private final ChannelGroup channels =
      new DefaultChannelGroup("vigia-collector", GlobalEventExecutor.INSTANCE);
  private final ChannelGroup agentLinks =
      new DefaultChannelGroup("vigia-agent-links", GlobalEventExecutor.INSTANCE);
  private Channel ingest;
  private Channel http;
  private RemoteWrite remoteWrite;
  private Store store = Store.IN_MEMORY;
  private boolean closed;

  private Collector(HostRegistry registry) {
    this.registry = registry;
    this.transport = Transport.best();
    this.metrics = new CollectorMetrics(registry);
    this.acceptors =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("vigia-collector-accept", true), transport.ioHandler());
    this.workers =
        new MultiThreadIoEventLoopGroup(
            0, new DefaultThreadFactory("vigia-collector-io", true), transport.ioHandler());
    this.httpWorkers =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("vigia-collector-http", true), transport.ioHandler());
  }

  /**
   * Binds both ports and starts serving.
   *
   * @throws UncheckedIOException if a port cannot be bound, naming it
   */
  public static Collector start(Settings settings, InstantSource clock) {
    return start(settings, RemoteWriteSettings.NONE, clock);
  }

  /**
   * Binds both ports, starts serving, and pushes every stored sample to the remote-write receivers
   * of {@code remoteWrite}.
   *
   * @throws UncheckedIOException if a port cannot be bound, naming it
   */
  public static Collector start(
      Settings settings, RemoteWriteSettings remoteWrite, InstantSource clock) {
    return start(settings, remoteWrite, StoreConfig.IN_MEMORY, clock);
  }

  /**
   * Reads what the store's data directory holds back into the registry, then binds both ports and
   * starts serving: every sample is logged to the store before it is acknowledged.
   *
   * @throws UncheckedIOException if a port cannot be bound, naming it, or with a {@link
   *     Store.DataDirectoryException} as its cause if the data directory cannot be used
   */
  public static Collector start(
      Settings settings,
      RemoteWriteSettings remoteWrite,
      StoreConfig storeConfig,
      InstantSource clock) {
    Collector collector = new Collector(new HostRegistry(settings.historyCapacity(), clock));
    try {
      try {
        collector.store = Store.open(storeConfig, new StoreRecovery(collector.registry), clock);
      } catch (Store.DataDirectoryException e) {
        throw new UncheckedIOException(e);
      }
      collector.metrics.register(new StoreMetrics(collector.store));
      String version = Collector.class.getPackage().getImplementationVersion();
      collector.remoteWrite =
          RemoteWrite.start(
              remoteWrite, "vigia-collector/" + (version != null ? version : "dev"), clock);
      collector.registry.addListener(collector.remoteWrite);
      collector.metrics.register(collector.remoteWrite.metrics());
      collector.ingest =
          collector.bind(
              "agent",
              settings.listen(),
              collector.workers,
              new IngestChannelInitializer(
                  collector.registry,
                  settings.limits(),
                  collector.agentLinks,
                  collector.metrics,
                  settings.guards(),
                  settings.agentTls(),
                  collector.store));
      collector.http =
          collector.bind(
              "HTTP",
              settings.http(),
              collector.httpWorkers,
              new QueryHttpInitializer(
                  collector.registry,
                  collector.channels,
                  collector.metrics.httpRoute(),
                  collector.remoteWrite.apiRoute(),
                  new StoreApiHandler(collector.store),
                  settings.httpToken(),
                  settings.httpLimits()));
      return collector;
    } catch (RuntimeException e) {
      collector.close();
      throw e;
    }
  }

  private Channel bind(
      String what,
      InetSocketAddress address,
      EventLoopGroup childGroup,
      io.netty.channel.ChannelHandler initializer) {
    var bound =
        new ServerBootstrap()
            .group(acceptors, childGroup)
            .channel(transport.serverChannel())
            // The kernel's own limit (net.core.somaxconn): after a restart a whole fleet
            // reconnects within seconds, and a short queue turns that into refused connects.
            .option(ChannelOption.SO_BACKLOG, NetUtil.SOMAXCONN)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(initializer)
            .bind(address)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new UncheckedIOException(
          new IOException(
              "cannot listen for "
                  + what
                  + " on "
                  + address.getHostString()
                  + ":"
                  + address.getPort()
                  + ": "
                  + bound.cause().getMessage(),
              bound.cause()));
    }
    channels.add(bound.channel());
    return bound.channel();
  }

  public HostRegistry registry() {
    return registry;
  }

  /** What {@code GET /metrics} serves. */
  public CollectorMetrics metrics() {
    return metrics;
  }

  /** Where acknowledged samples are kept. */
  public Store store() {
    return store;
  }

  /** Pushing samples to Prometheus remote-write receivers, if any were given. */
  public RemoteWrite remoteWrite() {
    return remoteWrite;
  }

  /** The bound agent port (the real one when asked for port 0). */
  public InetSocketAddress ingestAddress() {
    return (InetSocketAddress) ingest.localAddress();
  }

  /** The bound HTTP port. */
  /** The socket transport in use: "epoll" (Linux's native one) or "nio". */
  public String transportName() {
    return transport.name().toLowerCase(Locale.ROOT);
  }

  public InetSocketAddress httpAddress() {
    return (InetSocketAddress) http.localAddress();
  }

  /**
   * Stops accepting, tells every agent with a {@code Goodbye} (so it reconnects with backoff rather
   * than at once), closes every link, then stops the event loops. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    agentLinks
        .writeAndFlush(Frames.goodbye("collector shutting down"))
        .awaitUninterruptibly(2, TimeUnit.SECONDS);
    agentLinks.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (remoteWrite != null) {
      remoteWrite.close();
    }
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    httpWorkers
        .shutdownGracefully(0, 2, TimeUnit.SECONDS)
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
    acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    // Last: every link is closed, so nothing appends any more; what waits is written and synced.
    store.close();
  }
}
