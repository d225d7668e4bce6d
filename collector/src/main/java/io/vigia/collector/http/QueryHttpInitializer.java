package io.vigia.collector.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.vigia.collector.registry.HostRegistry;
import java.time.InstantSource;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The collector's HTTP pipeline: HTTP codec, a bounded request aggregator, the dashboard's files,
 * (with an HTTP token: the dashboard's sign-in and the token check), {@code /metrics}, the live
 * stream, the JSON API.
 */
public final class QueryHttpInitializer extends ChannelInitializer<SocketChannel> {

  /** A connection that sends nothing for this long is closed (a stream client is exempt). */
  private static final int IDLE_SECONDS = 60;

  private final HostRegistry registry;
  private final ChannelGroup connections;
  private final ChannelHandler metricsRoute;
  private final HttpLimits limits;
  private final ChannelHandler remoteWriteRoute;
  private final ChannelHandler storeRoute;
  private final ChannelHandler pinsRoute;
  private final ChannelHandler alertsRoute;
  // Both null without an HTTP token.
  private final ChannelHandler bearerToken;
  private final ChannelHandler session;
  private final StreamHub stream;
  private final ChannelHandler streamStatus;
  private final DashboardRoute dashboard = new DashboardRoute();

  /**
   * @param metricsRoute a shareable handler that answers {@code /metrics} and passes the rest on
   * @param remoteWriteRoute a shareable handler that answers {@code /api/v1/remote-write} and
   *     passes the rest on, or null
   * @param storeRoute a shareable handler that answers {@code /api/v1/store} and passes the rest
   *     on, or null
   * @param pinsRoute a shareable handler that answers {@code /api/v1/pins} and passes the rest on,
   *     or null
   * @param alertsRoute a shareable handler that answers {@code /api/v1/alerts} and passes the rest
   *     on, or null
   * @param token every request must carry {@code Authorization: Bearer token}; empty for none
   * @param limits request size and query range limits
   * @param streamLoop the HTTP side's event loop, where the live stream takes the registry's
   *     changes from the agents' links
   */
  public QueryHttpInitializer(
      HostRegistry registry,
      ChannelGroup connections,
      ChannelHandler metricsRoute,
      ChannelHandler remoteWriteRoute,
      ChannelHandler storeRoute,
      ChannelHandler pinsRoute,
      ChannelHandler alertsRoute,
      String token,
      HttpLimits limits,
      ScheduledExecutorService streamLoop) {
    this.pinsRoute = pinsRoute;
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
    this.streamStatus = new JsonGetRoute(StreamStatus.PATH, () -> stream.status().json());
    registry.addListener(stream);
    stream.start(streamLoop);
  }

  /** The live stream's series for {@code /metrics}: clients, queued, dropped by reason. */
  public MultiCollector streamMetrics() {
    return StreamStatus.metrics(stream::status);
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
    RequestGate gate = new RequestGate(limits);
    p.addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS));
    // Malformed, slow and oversized requests are answered here, before the token is looked at.
    p.addLast("firstBytes", gate.bytes());
    p.addLast(
        "http",
        new HttpServerCodec(HttpLimits.MAX_REQUEST_LINE_BYTES, HttpLimits.MAX_HEADER_BYTES, 8192));
    p.addLast("gate", gate);
    p.addLast("aggregator", new BoundedAggregator(limits.maxRequestBytes()));
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
    p.addLast("streamStatus", streamStatus);
    if (pinsRoute != null) {
      p.addLast("pins", pinsRoute);
    }
    if (alertsRoute != null) {
      p.addLast("alerts", alertsRoute);
    }
    p.addLast("stream", new StreamRoute(stream));
    p.addLast("query", new QueryHandler(registry, limits.maxQuerySamples()));
    p.addLast("failures", new RouteFailures(gate));
  }
}
