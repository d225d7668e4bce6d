package io.vigia.agent.link;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.vigia.codec.FrameCodec;
import io.vigia.proto.Frame;
import java.time.Duration;
import java.util.function.Supplier;

/** The agent's pipeline: framing, liveness, then the handshake and acknowledgement handler. */
final class AgentChannelInitializer extends ChannelInitializer<SocketChannel> {

  private final int maxFrameBytes;
  private final Duration silentAfter;
  private final Duration heartbeatEvery;
  private final Supplier<Frame> hello;
  private final LinkEvents events;
  private final SslContext tls;

  AgentChannelInitializer(
      int maxFrameBytes,
      Duration silentAfter,
      Duration heartbeatEvery,
      Frame hello,
      LinkEvents events) {
    this(maxFrameBytes, silentAfter, heartbeatEvery, () -> hello, events, null);
  }

  /**
   * @param hello the Hello of each new link, asked for when the link is up
   * @param tls TLS to the collector, or null for plain TCP
   */
  AgentChannelInitializer(
      int maxFrameBytes,
      Duration silentAfter,
      Duration heartbeatEvery,
      Supplier<Frame> hello,
      LinkEvents events,
      SslContext tls) {
    this.tls = tls;
    this.maxFrameBytes = maxFrameBytes;
    this.silentAfter = silentAfter;
    this.heartbeatEvery = heartbeatEvery;
    this.hello = hello;
    this.events = events;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ChannelPipeline p = ch.pipeline();
    if (tls != null) {
      p.addLast("tlsOnConnect", new TlsOnConnect(tls));
    }
    FrameCodec.install(p, maxFrameBytes);
    FrameCodec.installLiveness(p, silentAfter, heartbeatEvery);
    p.addLast("link", new LinkHandler(hello, events));
  }
}
