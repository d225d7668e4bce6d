package io.vigia.agent.link;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;

/** Opens connections to collectors for {@link Connector}. */
interface Dialer {

  /** A link: a connection with the agent's pipeline, which says Hello once it is up. */
  ChannelFuture link(InetSocketAddress collector);

  /** A bare connection, only to learn whether the collector accepts one; the caller closes it. */
  ChannelFuture probe(InetSocketAddress collector);

  /** Dials with {@code bootstrap}, whose handler is the agent's pipeline. */
  static Dialer over(Bootstrap bootstrap) {
    return new Dialer() {
      @Override
      public ChannelFuture link(InetSocketAddress collector) {
        return bootstrap.connect(collector);
      }

      @Override
      public ChannelFuture probe(InetSocketAddress collector) {
        return bootstrap.clone().handler(new ChannelInboundHandlerAdapter()).connect(collector);
      }
    };
  }
}
