package io.vigia.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@code GET /api/v1/stream} with server-sent events from the {@link StreamHub}, on a
 * response that stays open; passes every other request on. One per HTTP connection.
 *
 * <p>A stream connection is exempt from the pipeline's read timeout (a stream client sends nothing
 * after its request); a comment line every {@link #KEEPALIVE_SECONDS} s keeps proxies from closing
 * it and lets a dead client be noticed.
 */
final class StreamRoute extends ChannelInboundHandlerAdapter {

  static final String PATH = "/api/v1/stream";
  static final int KEEPALIVE_SECONDS = 15;

  /** How long an EventSource waits before reconnecting, in ms (the SSE "retry:" field). */
  private static final int RETRY_MILLIS = 1000;

  private final StreamHub hub;
  private StreamClient client;
  private ScheduledFuture<?> keepalive;

  StreamRoute(StreamHub hub) {
    this.hub = hub;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request) || !PATH.equals(HttpReplies.pathOf(request))) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      start(ctx, request);
    } finally {
      request.release();
    }
  }

  private void start(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!HttpMethod.GET.equals(request.method())) {
      refuse(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is served here");
      return;
    }
    if (client != null) {
      refuse(ctx, request, HttpResponseStatus.CONFLICT, "this connection is streaming already");
      return;
    }
    long lastEventId = -1;
    String header = request.headers().get("Last-Event-ID");
    if (header != null && !header.isBlank()) {
      try {
        lastEventId = Long.parseLong(header.strip());
      } catch (NumberFormatException e) {
        refuse(
            ctx,
            request,
            HttpResponseStatus.BAD_REQUEST,
            "Last-Event-ID must be an event id the stream sent, not '" + header + "'");
        return;
      }
    }
    if (ctx.pipeline().get("idle") != null) {
      ctx.pipeline().remove("idle");
    }
    HttpResponse response =
        new DefaultHttpResponse(request.protocolVersion(), HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    HttpUtil.setTransferEncodingChunked(response, true);
    HttpUtil.setKeepAlive(response, true);
    ctx.write(response);
    ctx.writeAndFlush(text("retry: " + RETRY_MILLIS + "\n\n"));
    client = hub.subscribe(ctx.channel(), lastEventId);
    keepalive =
        ctx.executor()
            .scheduleAtFixedRate(
                () -> {
                  if (ctx.channel().isWritable()) {
                    ctx.writeAndFlush(text(": keepalive\n\n"));
                  }
                },
                KEEPALIVE_SECONDS,
                KEEPALIVE_SECONDS,
                TimeUnit.SECONDS);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (client != null && ctx.channel().isWritable()) {
      client.drain();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (keepalive != null) {
      keepalive.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  private static DefaultHttpContent text(String text) {
    return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
  }

  private static void refuse(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      HttpResponseStatus status,
      String message) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            request.protocolVersion(),
            status,
            Unpooled.copiedBuffer(
                ApiJson.error(status.code() == 405 ? "method_not_allowed" : "bad_request", message)
                    + "\n",
                StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
    HttpUtil.setContentLength(response, response.content().readableBytes());
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
