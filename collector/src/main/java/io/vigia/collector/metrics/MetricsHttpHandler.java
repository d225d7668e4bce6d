package io.vigia.collector.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers {@code GET /metrics} (and {@code HEAD}) in the format the scraper asks for: OpenMetrics
 * when its {@code Accept} header prefers it, as Prometheus does, else the Prometheus text format.
 * Every other request goes on to the next handler.
 */
@Sharable
final class MetricsHttpHandler extends ChannelInboundHandlerAdapter {

  static final String PATH = "/metrics";

  private final CollectorMetrics metrics;
  // Without the protobuf module on the classpath the text formats are the ones offered.
  private final ExpositionFormats formats = ExpositionFormats.init();

  MetricsHttpHandler(CollectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)
        || !request.decoderResult().isSuccess()
        || !new QueryStringDecoder(request.uri()).rawPath().equals(PATH)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      respond(ctx, request);
    } finally {
      request.release();
    }
  }

  private void respond(ChannelHandlerContext ctx, FullHttpRequest request) {
    FullHttpResponse response;
    boolean head = HttpMethod.HEAD.equals(request.method());
    if (!HttpMethod.GET.equals(request.method()) && !head) {
      response = text(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is served here\n");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
    } else {
      ExpositionFormatWriter writer = writer(request.headers().get(HttpHeaderNames.ACCEPT));
      ByteBuf body = ctx.alloc().buffer();
      try (var out = new ByteBufOutputStream(body)) {
        writer.write(out, metrics.scrape());
      } catch (IOException | RuntimeException e) {
        body.release();
        throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
      }
      response =
          new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK, body);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, writer.getContentType());
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
      HttpUtil.setContentLength(response, body.readableBytes());
      if (head) {
        body.clear();
      }
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request) && response.status().code() < 400;
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private ExpositionFormatWriter writer(String accept) {
    ExpositionFormatWriter writer = formats.findWriter(accept);
    return writer.isAvailable() ? writer : formats.getPrometheusTextFormatWriter();
  }

  private static FullHttpResponse text(
      FullHttpRequest request, HttpResponseStatus status, String message) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            request.protocolVersion(),
            status,
            Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    HttpUtil.setContentLength(response, response.content().readableBytes());
    return response;
  }
}
