package io.vigia.collector.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Netty's request aggregator, answering a body over the limit with 413 and a JSON body (Netty's own
 * 413 has none), then closing: the rest of the body is not worth reading.
 */
final class BoundedAggregator extends HttpObjectAggregator {

  private final int maxBodyBytes;

  BoundedAggregator(int maxBodyBytes) {
    super(maxBodyBytes);
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    if (!(oversized instanceof HttpRequest request)) {
      ctx.close();
      return;
    }
    var response =
        HttpReplies.error(
            request,
            HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
            "too_large",
            "the request body is larger than this collector takes ("
                + maxBodyBytes
                + " bytes, --max-http-request-bytes)");
    response.headers().set("Connection", "close");
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
