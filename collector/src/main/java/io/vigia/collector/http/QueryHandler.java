package io.vigia.collector.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vigia.collector.registry.HostRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers the JSON API from the {@link HostRegistry}:
 *
 * <ul>
 *   <li>{@code GET /api/v1/agents}: every host
 *   <li>{@code GET /api/v1/agents/{id}}: one host
 *   <li>{@code GET /api/v1/agents/{id}/history?last=N}: its newest N samples, oldest first
 * </ul>
 *
 * Anything else is a JSON error with the fitting status.
 */
final class QueryHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final String AGENTS = "/api/v1/agents";

  private final HostRegistry registry;
  private final int maxQuerySamples;

  QueryHandler(HostRegistry registry) {
    this(registry, HttpLimits.DEFAULT_MAX_QUERY_SAMPLES);
  }

  /**
   * @param maxQuerySamples the most samples one history request returns
   */
  QueryHandler(HostRegistry registry, int maxQuerySamples) {
    this.registry = registry;
    this.maxQuerySamples = maxQuerySamples;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    Reply reply = route(request);
    HttpReplies.send(ctx, request, HttpReplies.json(request, reply.status(), reply.json()));
  }

  private record Reply(HttpResponseStatus status, String json) {
    static Reply ok(String json) {
      return new Reply(HttpResponseStatus.OK, json);
    }

    static Reply error(HttpResponseStatus status, String error, String message) {
      return new Reply(status, ApiJson.error(error, message));
    }
  }

  private Reply route(FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      return Reply.error(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed HTTP request");
    }
    QueryStringDecoder uri = new QueryStringDecoder(request.uri());
    // Still encoded: the id segment is decoded once, below, so that an id's own "/", "%" or "+"
    // (sent as %2F, %25 and %2B or +) survives.
    String path = uri.rawPath();
    if (!path.equals(AGENTS) && !path.startsWith(AGENTS + "/")) {
      return Reply.error(
          HttpResponseStatus.NOT_FOUND,
          "not_found",
          "no such endpoint: " + path + "; try " + AGENTS);
    }
    if (!HttpMethod.GET.equals(request.method())) {
      return Reply.error(
          HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", "only GET is served here");
    }
    if (path.equals(AGENTS)) {
      return Reply.ok(ApiJson.agents(registry.hosts()));
    }
    String[] rest = path.substring(AGENTS.length() + 1).split("/", -1);
    String id;
    Map<String, List<String>> query;
    try {
      // In a path, "+" is a plus sign, not a space as in a query.
      id = QueryStringDecoder.decodeComponent(rest[0].replace("+", "%2B"));
      query = uri.parameters();
    } catch (IllegalArgumentException e) {
      return Reply.error(
          HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed %-escape in " + request.uri());
    }
    if (rest.length == 1 && !id.isEmpty()) {
      return registry
          .host(id)
          .map(host -> Reply.ok(ApiJson.agentJson(host)))
          .orElseGet(() -> unknownAgent(id));
    }
    if (rest.length == 2 && rest[1].equals("history") && !id.isEmpty()) {
      Optional<Integer> last = positiveInt(query.get("last"), maxQuerySamples);
      if (last.isEmpty()) {
        return Reply.error(
            HttpResponseStatus.BAD_REQUEST,
            "bad_request",
            "last must be a positive number of samples, as in ?last=60");
      }
      if (last.get() > maxQuerySamples) {
        return Reply.error(
            HttpResponseStatus.BAD_REQUEST,
            "bad_request",
            "last="
                + last.get()
                + " is more than this collector returns at once ("
                + maxQuerySamples
                + ", --max-query-samples); ask for fewer");
      }
      return registry
          .history(id, last.get())
          .map(samples -> Reply.ok(ApiJson.history(id, samples)))
          .orElseGet(() -> unknownAgent(id));
    }
    return Reply.error(HttpResponseStatus.NOT_FOUND, "not_found", "no such endpoint: " + path);
  }

  private static Reply unknownAgent(String id) {
    return Reply.error(HttpResponseStatus.NOT_FOUND, "not_found", "no agent with id '" + id + "'");
  }

  /** The single value of a query parameter as a positive int; absent means {@code absent}. */
  private static Optional<Integer> positiveInt(List<String> values, int absent) {
    if (values == null || values.isEmpty()) {
      return Optional.of(absent);
    }
    try {
      int value = Integer.parseInt(values.get(0));
      return value > 0 ? Optional.of(value) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
