package io.vigia.collector;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vigia.codec.Frames;
import io.vigia.codec.Transport;
import io.vigia.collector.alert.AlertRulesException;
import io.vigia.collector.alert.Alerting;
import io.vigia.collector.alert.AlertsApi;
import io.vigia.collector.http.JsonGetRoute;
import io.vigia.collector.http.QueryHttpInitializer;
import io.vigia.collector.identity.Pins;
import io.vigia.collector.identity.PinsRoute;
import io.vigia.collector.ingest.IngestChannelInitializer;
import io.vigia.collector.ingest.StoreRecovery;
import io.vigia.collector.metrics.CollectorMetrics;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.remotewrite.RemoteWrite;
import io.vigia.collector.store.Store;
import io.vigia.collector.store.StoreJson;
import io.vigia.collector.store.StoreMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A running collector: the agent listener, the HTTP side and the {@link HostRegistry} they share.
 *
 * <pre>{@code
 * try (Collector collector = Collector.start(config, InstantSource.system())) {
 *   InetSocketAddress agents = collector.ingestAddress(); // the bound port, also for port 0
 * }
 * }</pre>
 */
public final class Collector implements AutoCloseable {

  /** The agents' pins, in the data directory ({@code docs/format/pins.md}). */
  public static final String PINS_FILE = "pins";

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
  private Alerting alerting;
  private Store store = Store.IN_MEMORY;
  private Pins pins;
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
   * Binds both ports, starts serving, and pushes every stored sample to the remote-write receivers
   * of {@code config}, if any.
   *
   * @throws UncheckedIOException if a port cannot be bound, naming it
   */
  public static Collector start(CollectorConfig config, InstantSource clock) {
    Collector collector = new Collector(new HostRegistry(config.history(), clock));
    try {
      // The log is read back before anything listens: hosts, their last sequences and history.
      try {
        collector.store = Store.open(config.store(), new StoreRecovery(collector.registry), clock);
      } catch (Store.DataDirectoryException e) {
        throw new UncheckedIOException(e);
      }
      collector.store.checkpointWith(collector.registry::sealChunks);
      collector.metrics.register(new StoreMetrics(collector.store));
      // In the data directory the store has locked; beside its log.
      try {
        collector.pins =
            config.store().inMemory()
                ? Pins.inMemory(clock)
                : Pins.open(config.store().dir().resolve(PINS_FILE), clock);
      } catch (IOException e) {
        throw new UncheckedIOException(
            new IOException(
                "cannot read the agents' pins: "
                    + e.getMessage()
                    + "; fix or remove the file (every agent then enrolls again)",
                e));
      }
      String version = Collector.class.getPackage().getImplementationVersion();
      collector.remoteWrite =
          RemoteWrite.start(
              config.remoteWriteSettings(),
              "vigia-collector/" + (version != null ? version : "dev"),
              clock);
      collector.registry.addListener(collector.remoteWrite);
      collector.metrics.register(collector.remoteWrite.metrics());
      // After the store's recovery, so that the restored hosts are known to the rules.
      try {
        collector.alerting =
            Alerting.start(config.alerts(), collector.registry, config.store().dir(), clock);
      } catch (AlertRulesException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      collector.registry.addListener(collector.alerting);
      collector.metrics.register(collector.alerting.metrics());
      collector.ingest =
          collector.bind(
              "agent",
              config.listen(),
              collector.workers,
              new IngestChannelInitializer(
                  collector.registry,
                  config.ingestLimits(),
                  collector.agentLinks,
                  collector.metrics,
                  config.guards(),
                  config.agentTls(),
                  collector.store,
                  config.inputRules(),
                  clock,
                  collector.pins));
      QueryHttpInitializer httpSide =
          new QueryHttpInitializer(
              collector.registry,
              collector.channels,
              collector.metrics.httpRoute(),
              collector.remoteWrite.apiRoute(),
              new JsonGetRoute(StoreJson.PATH, () -> StoreJson.of(collector.store.status())),
              new PinsRoute(
                  collector.pins, id -> collector.registry.host(id).map(HostView::lastSeen)),
              collector.alerting.apiRoute(),
              config.httpToken(),
              config.httpLimits(),
              collector.httpWorkers.next());
      collector.metrics.register(httpSide.streamMetrics());
      collector.alerting.addListener(
          alert -> httpSide.publishAlert(alert.host(), AlertsApi.stream(alert)));
      collector.http = collector.bind("HTTP", config.http(), collector.httpWorkers, httpSide);
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

  /** Which agent ids are enrolled, and how each proves itself. */
  public Pins pins() {
    return pins;
  }

  /** Pushing samples to Prometheus remote-write receivers, if any were given. */
  public RemoteWrite remoteWrite() {
    return remoteWrite;
  }

  /** The alert rules, their states and receivers. */
  public Alerting alerting() {
    return alerting;
  }

  /** The bound agent port (the real one when asked for port 0). */
  public InetSocketAddress ingestAddress() {
    return (InetSocketAddress) ingest.localAddress();
  }

  /** The socket transport in use: "epoll" (Linux's native one) or "nio". */
  public String transportName() {
    return transport.name().toLowerCase(Locale.ROOT);
  }

  /** The bound HTTP port. */
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
    if (alerting != null) {
      alerting.close();
    }
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    httpWorkers
        .shutdownGracefully(0, 2, TimeUnit.SECONDS)
        .awaitUninterruptibly(5, TimeUnit.SECONDS);
    acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (pins != null) {
      pins.close();
    }
    // Last: every link is closed, so nothing appends any more; what waits is written and synced.
    store.close();
  }
}
