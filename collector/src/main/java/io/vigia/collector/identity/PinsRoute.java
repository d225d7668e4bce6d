package io.vigia.collector.identity;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vigia.collector.http.ApiJson;
import io.vigia.collector.http.HttpReplies;
import io.vigia.proto.ApiPin;
import io.vigia.proto.ApiPinList;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * The operator's view of {@link Pins} on the HTTP side, behind the HTTP token when there is one:
 *
 * <ul>
 *   <li>{@code GET /api/v1/pins}: every pin ({@code ApiPinList})
 *   <li>{@code POST /api/v1/pins/{id}/reset}: forget the pin, so the id enrolls again (404 if none)
 *   <li>{@code POST /api/v1/pins/{id}/revoke}: refuse the id from now on, closing its link
 * </ul>
 *
 * A POST must say {@code Content-Type: application/json} (a browser cannot send that across sites
 * without asking first, so a web page cannot reset a pin on an operator's behalf). Every other path
 * goes on to the next handler.
 *
 * <pre>{@code
 * pipeline.addLast("pins", new PinsRoute(pins, id -> registry.host(id).map(HostView::lastSeen)));
 * }</pre>
 */
@Sharable
public final class PinsRoute extends ChannelInboundHandlerAdapter {

  public static final String PATH = "/api/v1/pins";

  private final Pins pins;
  private final Function<String, Optional<Instant>> lastSample;

  /**
   * @param lastSample when the collector last heard from an agent id, if it knows the host
   */
  public PinsRoute(Pins pins, Function<String, Optional<Instant>> lastSample) {
    this.pins = pins;
    this.lastSample = lastSample;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    String path = msg instanceof FullHttpRequest request ? HttpReplies.pathOf(request) : null;
    if (path == null || !(path.equals(PATH) || path.startsWith(PATH + "/"))) {
      ctx.fireChannelRead(msg);
      return;
    }
    FullHttpRequest request = (FullHttpRequest) msg;
    try {
      HttpReplies.send(ctx, request, answer(request, path));
    } finally {
      request.release();
    }
  }

  private FullHttpResponse answer(FullHttpRequest request, String path) {
    if (path.equals(PATH)) {
      if (!HttpMethod.GET.equals(request.method())) {
        return error(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "GET");
      }
      ApiPinList.Builder list = ApiPinList.newBuilder();
      pins.list().forEach(status -> list.addPins(api(status.pin(), status.connected())));
      return HttpReplies.json(request, HttpResponseStatus.OK, ApiJson.print(list));
    }
    String[] rest = path.substring(PATH.length() + 1).split("/", -1);
    String id;
    try {
      id = QueryStringDecoder.decodeComponent(rest[0].replace("+", "%2B"));
    } catch (IllegalArgumentException e) {
      return error(request, HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed %-escape");
    }
    if (rest.length != 2
        || id.isEmpty()
        || !(rest[1].equals("reset") || rest[1].equals("revoke"))) {
      return error(
          request,
          HttpResponseStatus.NOT_FOUND,
          "not_found",
          "no such endpoint: " + path + "; try " + PATH + "/ID/reset or /revoke");
    }
    if (!HttpMethod.POST.equals(request.method())) {
      FullHttpResponse refused =
          error(request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "POST");
      refused.headers().set(HttpHeaderNames.ALLOW, "POST");
      return refused;
    }
    String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      return error(
          request,
          HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported_media_type",
          "send Content-Type: application/json (the body may be empty)");
    }
    if (rest[1].equals("revoke")) {
      return HttpReplies.json(
          request, HttpResponseStatus.OK, ApiJson.print(api(pins.revoke(id), false)));
    }
    return pins.reset(id)
        .map(
            pin -> HttpReplies.json(request, HttpResponseStatus.OK, ApiJson.print(api(pin, false))))
        .orElseGet(
            () ->
                error(
                    request,
                    HttpResponseStatus.NOT_FOUND,
                    "not_found",
                    "no pin for agent id '" + id + "'"));
  }

  private ApiPin api(Pin pin, boolean connected) {
    Instant seen = pin.lastHello();
    Optional<Instant> sample = lastSample.apply(pin.id());
    if (sample.isPresent() && sample.get().isAfter(seen)) {
      seen = sample.get();
    }
    ApiPin.Builder api =
        ApiPin.newBuilder()
            .setId(pin.id())
            .setHostname(pin.hostname())
            .setKind(pin.kind().label())
            .setState(pin.state().label())
            .setEnrolledAt(ApiJson.timestamp(pin.enrolledAt()))
            .setConnected(connected);
    if (seen.isAfter(Instant.EPOCH)) {
      api.setLastSeen(ApiJson.timestamp(seen));
    }
    return api.build();
  }

  private static FullHttpResponse error(
      FullHttpRequest request, HttpResponseStatus status, String error, String message) {
    if (status == HttpResponseStatus.METHOD_NOT_ALLOWED) {
      message = "only " + message + " is served here";
    }
    return HttpReplies.json(request, status, ApiJson.error(error, message));
  }
}
