package io.vigia.collector.ingest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.vigia.collector.metrics.CollectorMetrics;
import io.vigia.proto.ErrorCode;

/**
 * Right after the {@code SslHandler}: a failed handshake (an unknown or missing client certificate,
 * plain bytes on a TLS port) is counted as {@code tls_handshake_failed}, logged (rate-limited) and
 * the link closed. No Error frame: there is no TLS session to send it in.
 */
final class TlsRejections extends ChannelInboundHandlerAdapter {

  private final CollectorMetrics metrics;

  TlsRejections(CollectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      metrics.rejectedSilently(ErrorCode.TLS_HANDSHAKE_FAILED);
      LinkGuard.LOG.warn(
          ErrorCode.TLS_HANDSHAKE_FAILED.name(),
          "Rejecting the link from "
              + SessionHandler.address(ctx.channel().remoteAddress())
              + ": TLS handshake failed: "
              + done.cause().getMessage());
      ctx.close();
    }
    ctx.fireUserEventTriggered(evt);
  }
}
