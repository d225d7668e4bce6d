package io.vigia.collector.metrics;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
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
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.vigia.collector.http.HttpReplies;
import io.vigia.proto.ApiRejections;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers {@code GET /metrics} (and {@code HEAD}) in the format the scraper asks for: OpenMetrics
 * when its {@code Accept} header prefers it, as Prometheus does, else the Prometheus text format.
 * Also answers {@code GET /api/v1/rejections}, the same rejection counters as JSON. Every other
 * request goes on to the next handler.
 */
@Sharable
final class MetricsHttpHandler extends ChannelInboundHandlerAdapter {

  static final String PATH = "/metrics";

  /** The rejection counters of the agent links, in the API's JSON. */
  static final String REJECTIONS_PATH = "/api/v1/rejections";

  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final CollectorMetrics metrics;
  // Without the protobuf module on the classpath the text formats are the ones offered.
  private final ExpositionFormats formats = ExpositionFormats.init();

  MetricsHttpHandler(CollectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    String path = msg instanceof FullHttpRequest request ? HttpReplies.pathOf(request) : null;
    if (!PATH.equals(path) && !REJECTIONS_PATH.equals(path)) {
      ctx.fireChannelRead(msg);
      return;
    }
    FullHttpRequest request = (FullHttpRequest) msg;
    try {
      if (path.equals(REJECTIONS_PATH)) {
        respondRejections(ctx, request);
      } else {
        respond(ctx, request);
      }
    } finally {
      request.release();
    }
  }

  /** The rejection counters as JSON: {@code {"links":{"bad_token":"3",...}}}. */
  private void respondRejections(ChannelHandlerContext ctx, FullHttpRequest request) {
    FullHttpResponse response;
    if (!HttpMethod.GET.equals(request.method())) {
      response = onlyGet(request);
      response.headers().set(HttpHeaderNames.ALLOW, "GET");
    } else {
      String json;
      try {
        json =
            JSON.print(
                ApiRejections.newBuilder()
                    .putAllLinks(metrics.rejections())
                    .putAllSamples(metrics.samplesRefused()));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("a map of counts always prints", e);
      }
      response = text(request, HttpResponseStatus.OK, json);
      response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    }
    HttpReplies.send(ctx, request, response);
  }

  private void respond(ChannelHandlerContext ctx, FullHttpRequest request) {
    FullHttpResponse response;
    boolean head = HttpMethod.HEAD.equals(request.method());
    if (!HttpMethod.GET.equals(request.method()) && !head) {
      response = onlyGet(request);
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
    HttpReplies.send(ctx, request, response);
  }

  private ExpositionFormatWriter writer(String accept) {
    ExpositionFormatWriter writer = formats.findWriter(accept);
    return writer.isAvailable() ? writer : formats.getPrometheusTextFormatWriter();
  }

  private static FullHttpResponse onlyGet(FullHttpRequest request) {
    return HttpReplies.error(
        request,
        HttpResponseStatus.METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "only GET is served here");
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
