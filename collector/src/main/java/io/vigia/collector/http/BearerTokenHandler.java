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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Lets an HTTP request through only with {@code Authorization: Bearer TOKEN}; any other gets 401
 * and {@code {"error":"unauthorized",...}}. Goes before every endpoint, {@code /metrics} included.
 * The comparison takes the same time wherever the tokens differ (both are hashed, then compared
 * with {@link MessageDigest#isEqual}).
 */
@Sharable
final class BearerTokenHandler extends ChannelInboundHandlerAdapter {

  private static final String PREFIX = "Bearer ";

  private final byte[] expected;

  BearerTokenHandler(String token) {
    if (token.isEmpty()) {
      throw new IllegalArgumentException("the HTTP token must not be empty");
    }
    this.expected = sha256(PREFIX + token);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ctx.fireChannelRead(msg);
      return;
    }
    String offered = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
    if (MessageDigest.isEqual(expected, sha256(offered))) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              request.protocolVersion(),
              HttpResponseStatus.UNAUTHORIZED,
              Unpooled.copiedBuffer(
                  ApiJson.error(
                      "unauthorized",
                      offered.isEmpty()
                          ? "this collector requires Authorization: Bearer with its HTTP token"
                          : "wrong HTTP token"),
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

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
