package io.vigia.collector.ingest;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.vigia.codec.FrameCodec;
import io.vigia.collector.identity.Pins;
import io.vigia.collector.metrics.CollectorMetrics;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.store.Store;
import java.time.Duration;
import java.time.InstantSource;

/**
 * The collector's agent-link pipeline: framing, liveness, the limits, the agent's proof of its id,
 * the session, then the handler that rejects what could not be decoded.
 */
public final class IngestChannelInitializer extends ChannelInitializer<SocketChannel> {

  /**
   * Limits and timeouts of agent links.
   *
   * @param maxFrameBytes largest frame body accepted
   * @param helloTimeout a link must say Hello within this time
   * @param silentAfter a link silent this long is closed and its host marked LOST
   * @param heartbeatEvery the collector sends a heartbeat after this long without writing
   */
  public record Limits(
      int maxFrameBytes, Duration helloTimeout, Duration silentAfter, Duration heartbeatEvery) {}

  private final HostRegistry registry;
  private final Limits limits;
  private final ChannelGroup links;
  private final CollectorMetrics metrics;
  private final LinkGuards guards;
  private final LinkCounts counts;
  private final SslContext tls;
  private final Store store;
  private final InputRules rules;
  private final InstantSource clock;
  private final Pins pins;

  /**
   * @param links every accepted link joins this group, so shutdown can close them all
   * @param metrics counts links, bytes, frames and rejections
   */
  public IngestChannelInitializer(
      HostRegistry registry, Limits limits, ChannelGroup links, CollectorMetrics metrics) {
    this(registry, limits, links, metrics, LinkGuards.DEFAULTS);
  }

  /**
   * @param guards the token and the limits on links and their snapshot rate
   */
  public IngestChannelInitializer(
      HostRegistry registry,
      Limits limits,
      ChannelGroup links,
      CollectorMetrics metrics,
      LinkGuards guards) {
    this(registry, limits, links, metrics, guards, null);
  }

  /**
   * @param tls TLS on every link before anything else, or null for plain TCP
   */
  public IngestChannelInitializer(
      HostRegistry registry,
      Limits limits,
      ChannelGroup links,
      CollectorMetrics metrics,
      LinkGuards guards,
      SslContext tls) {
    this(registry, limits, links, metrics, guards, tls, Store.IN_MEMORY);
  }

  /**
   * @param store where every stored sample is logged before it is acknowledged
   */
  public IngestChannelInitializer(
      HostRegistry registry,
      Limits limits,
      ChannelGroup links,
      CollectorMetrics metrics,
      LinkGuards guards,
      SslContext tls,
      Store store) {
    this(
        registry,
        limits,
        links,
        metrics,
        guards,
        tls,
        store,
        InputRules.DEFAULTS,
        null,
        Pins.inMemory(InstantSource.system()));
  }

  /**
   * @param rules the window of sample times accepted
   * @param clock the collector's clock, which that window is around; null for the registry's
   * @param pins which agent ids are enrolled, and how each proves itself
   */
  public IngestChannelInitializer(
      HostRegistry registry,
      Limits limits,
      ChannelGroup links,
      CollectorMetrics metrics,
      LinkGuards guards,
      SslContext tls,
      Store store,
      InputRules rules,
      InstantSource clock,
      Pins pins) {
    this.rules = rules;
    this.clock = clock;
    this.pins = pins;
    this.store = store;
    this.tls = tls;
    this.registry = registry;
    this.limits = limits;
    this.links = links;
    this.metrics = metrics;
    this.guards = guards;
    this.counts = new LinkCounts(guards.maxLinks(), guards.maxLinksPerAddress());
  }

  /**
   * The shared wire handlers, with the collector's own frame decoder: snapshots pass undecoded, for
   * the session to read from their bytes.
   */
  static void installCodec(ChannelPipeline p, int maxFrameBytes) {
    FrameCodec.install(p, maxFrameBytes);
    p.replace(FrameCodec.PROTO_DECODER, FrameCodec.PROTO_DECODER, IngestFrameDecoder.INSTANCE);
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    links.add(ch);
    ChannelPipeline p = ch.pipeline();
    if (tls != null) {
      // A failed handshake (unknown client certificate, not TLS at all) closes the link here.
      p.addLast("tls", tls.newHandler(ch.alloc()));
      p.addLast("tlsRejections", new TlsRejections(metrics));
    }
    p.addLast("linkMetrics", metrics.linkBytes());
    installCodec(p, limits.maxFrameBytes());
    FrameCodec.installLiveness(p, limits.silentAfter(), limits.heartbeatEvery());
    p.addLast("frameMetrics", metrics.linkFrames());
    p.addLast("guard", new LinkGuard(guards, counts, System::nanoTime));
    p.addLast("identity", new IdentityHandler(pins));
    p.addLast(
        "session",
        new SessionHandler(
            registry, limits.helloTimeout(), limits.heartbeatEvery(), guards, store, rules, clock));
    p.addLast("rejectOnError", RejectOnErrorHandler.INSTANCE);
  }
}
