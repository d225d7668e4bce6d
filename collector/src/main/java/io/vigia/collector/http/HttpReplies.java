package io.vigia.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;

/** How every route of the collector's HTTP side answers: JSON bodies, and keep-alive. */
public final class HttpReplies {

  private HttpReplies() {}

  /**
   * The path a route matches on ({@code /api/v1/stream}, without the query), or null for a request
   * that did not decode: every route passes those on, so the last handler answers 400.
   */
  public static String pathOf(FullHttpRequest request) {
    return request.decoderResult().isSuccess()
        ? new QueryStringDecoder(request.uri()).rawPath()
        : null;
  }

  /** A JSON answer (one line, newline-terminated) that no cache keeps. */
  public static FullHttpResponse json(HttpRequest request, HttpResponseStatus status, String json) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            request.protocolVersion(),
            status,
            Unpooled.copiedBuffer(json + "\n", StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }

  /** A JSON error answer: {@code {"error": error, "message": message}}. */
  public static FullHttpResponse error(
      HttpRequest request, HttpResponseStatus status, String error, String message) {
    return json(request, status, ApiJson.error(error, message));
  }

  /**
   * Answers {@code status} with a JSON error on a connection whose request could not be read, or
   * could not be answered, then closes it.
   */
  static void errorAndClose(
      Channel channel, HttpResponseStatus status, String error, String message) {
    // The request may not have been read: answer as HTTP/1.1 does to one it cannot parse.
    var stub = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
    try {
      FullHttpResponse response = error(stub, status, error, message);
      HttpUtil.setKeepAlive(response, false);
      channel.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } finally {
      stub.release();
    }
  }

  /**
   * Writes {@code response}, keeping the connection open if the client asked for it and the answer
   * is not an error (after an error the connection's state is not worth trusting).
   */
  public static void send(
      ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
    boolean keepAlive = HttpUtil.isKeepAlive(request) && response.status().code() < 400;
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
