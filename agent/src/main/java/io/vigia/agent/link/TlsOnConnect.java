package io.vigia.agent.link;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Puts TLS on the link once the collector it goes to is known (one bootstrap serves every
 * collector): the {@link SslHandler} gets the collector's host name, for SNI and so that the
 * certificate is checked against that name, as HTTPS does.
 */
final class TlsOnConnect extends ChannelOutboundHandlerAdapter {

  private final SslContext tls;

  TlsOnConnect(SslContext tls) {
    this.tls = tls;
  }

  @Override
  public void connect(
      ChannelHandlerContext ctx,
      SocketAddress remote,
      SocketAddress local,
      ChannelPromise promise) {
    InetSocketAddress collector = (InetSocketAddress) remote;
    SslHandler handler =
        tls.newHandler(ctx.alloc(), collector.getHostString(), collector.getPort());
    SSLEngine engine = handler.engine();
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    engine.setSSLParameters(parameters);
    ctx.pipeline().addAfter(ctx.name(), "tls", handler);
    ctx.connect(remote, local, promise);
    ctx.pipeline().remove(this);
  }
}
