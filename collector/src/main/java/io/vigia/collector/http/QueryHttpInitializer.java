package io.vigia.collector.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.vigia.collector.registry.HostRegistry;
import java.time.InstantSource;

/**
 * The collector's HTTP pipeline: HTTP codec, a bounded request aggregator, the dashboard's files,
 * (with an HTTP token: the dashboard's sign-in and the token check), {@code /metrics}, the live
 * stream, the JSON API.
 */
public final class QueryHttpInitializer extends ChannelInitializer<SocketChannel> {

  /** The API only takes GETs; a larger request is refused with 413. */
  private static final int IDLE_SECONDS = 60;

  private final HostRegistry registry;
  private final ChannelGroup connections;
  private final ChannelHandler metricsRoute;
  private final HttpLimits limits;
  private final ChannelHandler remoteWriteRoute;
  private final ChannelHandler storeRoute;
  private final ChannelHandler alertsRoute;
  // Both null without an HTTP token.
  private final ChannelHandler bearerToken;
  private final ChannelHandler session;
  private final StreamHub stream;
  private final DashboardRoute dashboard = new DashboardRoute();

  /**
   * @param metricsRoute a shareable handler that answers {@code /metrics} and passes the rest on
   */
  public QueryHttpInitializer(
      HostRegistry registry, ChannelGroup connections, ChannelHandler metricsRoute) {
    this(registry, connections, metricsRoute, null, "");
  }

  /**
   * @param remoteWriteRoute a shareable handler that answers {@code /api/v1/remote-write} and
   *     passes the rest on, or null
   * @param token every request must carry {@code Authorization: Bearer token}; empty for none
   */
  public QueryHttpInitializer(
      HostRegistry registry,
      ChannelGroup connections,
      ChannelHandler metricsRoute,
      ChannelHandler remoteWriteRoute,
      String token) {
    this(registry, connections, metricsRoute, remoteWriteRoute, token, HttpLimits.DEFAULTS);
  }

  /**
   * @param limits request size and query range limits
   */
  public QueryHttpInitializer(
      HostRegistry registry,
      ChannelGroup connections,
      ChannelHandler metricsRoute,
      ChannelHandler remoteWriteRoute,
      String token,
      HttpLimits limits) {
    this(registry, connections, metricsRoute, remoteWriteRoute, null, token, limits);
  }

  /**
   * @param storeRoute a shareable handler that answers {@code /api/v1/store} and passes the rest
   *     on, or null
   */
  public QueryHttpInitializer(
      HostRegistry registry,
      ChannelGroup connections,
      ChannelHandler metricsRoute,
      ChannelHandler remoteWriteRoute,
      ChannelHandler storeRoute,
      String token,
      HttpLimits limits) {
    this(registry, connections, metricsRoute, remoteWriteRoute, storeRoute, null, token, limits);
  }

  /**
   * @param alertsRoute a shareable handler that answers {@code /api/v1/alerts} and passes the rest
   *     on, or null
   */
  public QueryHttpInitializer(
      HostRegistry registry,
      ChannelGroup connections,
      ChannelHandler metricsRoute,
      ChannelHandler remoteWriteRoute,
      ChannelHandler storeRoute,
      ChannelHandler alertsRoute,
      String token,
      HttpLimits limits) {
    this.alertsRoute = alertsRoute;
    this.storeRoute = storeRoute;
    this.limits = limits;
    this.registry = registry;
    this.connections = connections;
    this.metricsRoute = metricsRoute;
    this.remoteWriteRoute = remoteWriteRoute;
    HttpToken httpToken = token.isEmpty() ? null : new HttpToken(token);
    this.bearerToken = httpToken == null ? null : new BearerTokenHandler(httpToken);
    this.session = httpToken == null ? null : new SessionRoute(httpToken);
    // The live stream follows the registry from now on; its clients are channels of this side.
    this.stream = new StreamHub(InstantSource.system());
    registry.addListener(stream);
  }

  /**
   * Publishes an event {@code alert} on the live stream ({@code /api/v1/stream}): an alert of
   * {@code hostId} changed state. Never blocks for long; callable from any thread.
   */
  public void publishAlert(String hostId, io.vigia.proto.ApiStreamAlert alert) {
    stream.alertChanged(hostId, alert);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    connections.add(ch);
    ChannelPipeline p = ch.pipeline();
    p.addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS));
    p.addLast("http", new HttpServerCodec());
    p.addLast("aggregator", new HttpObjectAggregator(limits.maxRequestBytes()));
    // The dashboard's files are code, not data: a browser loads them before it signs in.
    p.addLast("dashboard", dashboard);
    if (bearerToken != null) {
      p.addLast("session", session);
      p.addLast("bearerToken", bearerToken);
    }
    p.addLast("metrics", metricsRoute);
    if (remoteWriteRoute != null) {
      p.addLast("remoteWrite", remoteWriteRoute);
    }
    if (storeRoute != null) {
      p.addLast("store", storeRoute);
    }
    if (alertsRoute != null) {
      p.addLast("alerts", alertsRoute);
    }
    p.addLast("stream", new StreamRoute(stream));
    p.addLast("query", new QueryHandler(registry, limits.maxQuerySamples()));
  }
}
