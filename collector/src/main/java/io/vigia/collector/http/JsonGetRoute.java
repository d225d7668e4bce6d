package io.vigia.collector.http;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Answers {@code GET} of one path with the JSON {@code render} returns at the time of the request
 * (a status page: the store, remote write); every other request goes on to the next handler. Runs
 * on the HTTP side's own event loop.
 *
 * <pre>{@code
 * pipeline.addLast("store", new JsonGetRoute("/api/v1/store", () -> StoreJson.of(store.status())));
 * }</pre>
 */
@Sharable
public final class JsonGetRoute extends ChannelInboundHandlerAdapter {

  private final String path;
  private final Supplier<String> render;

  public JsonGetRoute(String path, Supplier<String> render) {
    this.path = Objects.requireNonNull(path, "path");
    this.render = Objects.requireNonNull(render, "render");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request) || !path.equals(HttpReplies.pathOf(request))) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      HttpResponseStatus status;
      String json;
      if (HttpMethod.GET.equals(request.method())) {
        status = HttpResponseStatus.OK;
        json = render.get();
      } else {
        status = HttpResponseStatus.METHOD_NOT_ALLOWED;
        json = ApiJson.error("method_not_allowed", "only GET is served here");
      }
      HttpReplies.send(ctx, request, HttpReplies.json(request, status, json));
    } finally {
      request.release();
    }
  }
}
