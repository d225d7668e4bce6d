package io.vigia.collector.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an HTTP connection: a route that failed unexpectedly is answered 500 with a
 * JSON body (or, if its answer had begun, the connection is closed), and logged with the route and
 * the cause, once per route and kind of failure for the collector's lifetime; a connection the
 * client reset or left idle is just closed. One instance per connection.
 */
final class RouteFailures extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(RouteFailures.class);
  // Route and cause already logged with a stack trace; later ones go to DEBUG.
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private final RequestGate gate;

  RouteFailures(RequestGate gate) {
    this.gate = gate;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException
        || cause instanceof ReadTimeoutException
        || cause instanceof PrematureChannelClosureException) {
      ctx.close(); // the client went away, mid-request or not, or stayed silent: nothing failed
      return;
    }
    String route = gate.route();
    if (LOGGED.add(route + " " + cause.getClass().getName())) {
      log.error("HTTP route {} failed; answering 500: {}", route, cause.toString(), cause);
    } else {
      log.debug("HTTP route {} failed again: {}", route, cause.toString());
    }
    if (gate.answerStarted() || !ctx.channel().isActive()) {
      ctx.close();
      return;
    }
    HttpReplies.errorAndClose(
        ctx.channel(),
        HttpResponseStatus.INTERNAL_SERVER_ERROR,
        "internal",
        "the collector failed to answer " + route + "; its log says why");
  }
}
