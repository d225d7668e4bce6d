package io.vigia.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;

/**
 * Lets an HTTP request through only if it proves it knows the HTTP token ({@code Authorization:
 * Bearer TOKEN}, or the dashboard's session cookie: {@link HttpToken}); any other gets 401 and
 * {@code {"error":"unauthorized",...}}. Goes before every endpoint that shows data, {@code
 * /metrics} included; only the dashboard's static files and its sign-in route come before it.
 */
@Sharable
final class BearerTokenHandler extends ChannelInboundHandlerAdapter {

  private final HttpToken token;

  BearerTokenHandler(String token) {
    this(new HttpToken(token));
  }

  BearerTokenHandler(HttpToken token) {
    this.token = token;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (token.admits(request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    boolean offered =
        request.headers().contains(HttpHeaderNames.AUTHORIZATION)
            || request.headers().contains(HttpHeaderNames.COOKIE);
    try {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              request.protocolVersion(),
              HttpResponseStatus.UNAUTHORIZED,
              Unpooled.copiedBuffer(
                  ApiJson.error(
                      "unauthorized",
                      offered
                          ? "wrong HTTP token"
                          : "this collector requires Authorization: Bearer with its HTTP token"),
                  StandardCharsets.UTF_8));
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"vigia\"");
      HttpUtil.setContentLength(response, response.content().readableBytes());
      HttpUtil.setKeepAlive(response, false);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } finally {
      request.release();
    }
  }
}
