package io.vigia.collector.http;

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
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's sign-in, {@code /api/v1/session}, on a collector with an HTTP token: {@code POST}
 * with the token as the body answers 204 and the session cookie ({@link HttpToken}), or 401 if the
 * token is wrong; {@code DELETE} signs the browser out. Every other path goes on to the next
 * handler.
 */
@Sharable
final class SessionRoute extends ChannelInboundHandlerAdapter {

  static final String PATH = "/api/v1/session";

  private final HttpToken token;

  SessionRoute(HttpToken token) {
    this.token = token;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request) || !PATH.equals(HttpReplies.pathOf(request))) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      FullHttpResponse response;
      if (HttpMethod.POST.equals(request.method())) {
        String offered = request.content().toString(StandardCharsets.UTF_8).strip();
        if (token.matches(offered)) {
          response = empty(request, HttpResponseStatus.NO_CONTENT);
          response.headers().set(HttpHeaderNames.SET_COOKIE, token.signInCookie());
        } else {
          response =
              HttpReplies.json(
                  request,
                  HttpResponseStatus.UNAUTHORIZED,
                  ApiJson.error("unauthorized", "wrong HTTP token"));
        }
      } else if (HttpMethod.DELETE.equals(request.method())) {
        response = empty(request, HttpResponseStatus.NO_CONTENT);
        response.headers().set(HttpHeaderNames.SET_COOKIE, HttpToken.signOutCookie());
      } else {
        response =
            HttpReplies.json(
                request,
                HttpResponseStatus.METHOD_NOT_ALLOWED,
                ApiJson.error("method_not_allowed", "use POST with the token, or DELETE"));
        response.headers().set(HttpHeaderNames.ALLOW, "POST, DELETE");
      }
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
      HttpReplies.send(ctx, request, response);
    } finally {
      request.release();
    }
  }

  private static FullHttpResponse empty(FullHttpRequest request, HttpResponseStatus status) {
    FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), status);
    HttpUtil.setContentLength(response, 0);
    return response;
  }
}
