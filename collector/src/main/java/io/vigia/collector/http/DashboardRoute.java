package io.vigia.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Serves the web dashboard: {@code /} and the files under {@code /ui/}, read once from the jar (the
 * page, its script and style, and uPlot from its webjar), so that no request leaves the machine.
 * Every other request goes on to the next handler.
 */
@Sharable
final class DashboardRoute extends ChannelInboundHandlerAdapter {

  private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";

  /** Path served, resource in the jar, content type. */
  private static final Map<String, String[]> FILES =
      Map.of(
          "/", new String[] {"io/vigia/collector/dashboard/index.html", "text/html; charset=utf-8"},
          "/ui/app.js",
              new String[] {
                "io/vigia/collector/dashboard/app.js", "text/javascript; charset=utf-8"
              },
          "/ui/app.css",
              new String[] {"io/vigia/collector/dashboard/app.css", "text/css; charset=utf-8"},
          "/ui/uPlot.iife.min.js",
              new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
          "/ui/uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"});

  private final Map<String, byte[]> bodies;

  DashboardRoute() {
    var loaded = new java.util.HashMap<String, byte[]>();
    FILES.forEach((path, file) -> loaded.put(path, read(file[0])));
    this.bodies = Map.copyOf(loaded);
  }

  private static byte[] read(String resource) {
    try (InputStream in = DashboardRoute.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + resource + "; rebuild Vigia");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource + " from the jar", e);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    String path = msg instanceof FullHttpRequest request ? HttpReplies.pathOf(request) : null;
    if (path == null || !bodies.containsKey(path)) {
      ctx.fireChannelRead(msg);
      return;
    }
    FullHttpRequest request = (FullHttpRequest) msg;
    try {
      boolean head = HttpMethod.HEAD.equals(request.method());
      FullHttpResponse response;
      if (!HttpMethod.GET.equals(request.method()) && !head) {
        response =
            HttpReplies.error(
                request,
                HttpResponseStatus.METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "only GET and HEAD are served here");
        response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      } else {
        byte[] body = bodies.get(path);
        response =
            new DefaultFullHttpResponse(
                request.protocolVersion(),
                HttpResponseStatus.OK,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, FILES.get(path)[1]);
        // Served from this jar: a new collector version may bring new files.
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.headers().set("X-Content-Type-Options", "nosniff");
        // The page may load only from this origin; nothing leaves the machine.
        response
            .headers()
            .set(
                "Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:");
        HttpUtil.setContentLength(response, body.length);
      }
      HttpReplies.send(ctx, request, response);
    } finally {
      request.release();
    }
  }
}
