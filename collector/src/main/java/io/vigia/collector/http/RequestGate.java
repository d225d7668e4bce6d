package io.vigia.collector.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Lets through only well-formed HTTP/1 requests that arrive in time, before anything looks at who
 * sent them: bytes that cannot start a request (a TLS ClientHello, binary garbage), a request line
 * or headers over their limits, anything the HTTP decoder could not read and a version other than
 * HTTP/1.x (the HTTP/2 preface) get 400 with a JSON body and the connection is closed; a request
 * whose line and headers, or whole body, take longer than {@link HttpLimits#headerTimeout} or
 * {@link HttpLimits#requestTimeout} from its first byte gets 408 and is closed (a slowloris client
 * holds nothing for long).
 *
 * <p>Two handlers share its state: {@link #bytes()} goes before the HTTP codec and sees each
 * request's first bytes, the gate itself right after the codec. It also tells the last handler
 * ({@link RouteFailures}) which route a request took and whether its answer has begun.
 *
 * <p>Not thread-safe: one instance per connection, used on its event loop.
 */
final class RequestGate extends ChannelDuplexHandler {

  private enum State {
    /** Between requests: the next byte starts the clock. */
    IDLE,
    /** The request line and headers are arriving. */
    HEAD,
    /** The body is arriving. */
    BODY,
    /** The request is in; its answer is being made or written. */
    ANSWERING,
    /** Refused: the connection is closing; what else arrives is dropped. */
    CLOSING
  }

  private final HttpLimits limits;
  private State state = State.IDLE;
  private ScheduledFuture<?> headDeadline;
  private ScheduledFuture<?> requestDeadline;
  private boolean answerStarted;
  private String route = "(no request yet)";

  RequestGate(HttpLimits limits) {
    this.limits = limits;
  }

  /** The handler to put before the HTTP codec. */
  ChannelHandler bytes() {
    return new FirstBytes();
  }

  /** The method and path of the request being answered, for a log line. */
  String route() {
    return route;
  }

  /** Whether the answer to the current request has begun (its status line is gone). */
  boolean answerStarted() {
    return answerStarted;
  }

  private final class FirstBytes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (state == State.CLOSING) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (state == State.IDLE && msg instanceof ByteBuf bytes) {
        int first = firstNonSpace(bytes);
        if (first < 0) {
          ctx.fireChannelRead(msg); // blank lines between requests are allowed
          return;
        }
        if (!isTokenChar(first)) {
          bytes.release();
          refuse(
              ctx,
              HttpResponseStatus.BAD_REQUEST,
              "bad_request",
              first == 0x16
                  ? "this port speaks plain HTTP, not TLS: use http://"
                  : "these bytes are not an HTTP request");
          return;
        }
        startClock(ctx);
      }
      ctx.fireChannelRead(msg);
    }
  }

  private void startClock(ChannelHandlerContext ctx) {
    state = State.HEAD;
    headDeadline =
        ctx.executor()
            .schedule(
                () -> late(ctx, "line and headers", limits.headerTimeout().toMillis()),
                limits.headerTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    requestDeadline =
        ctx.executor()
            .schedule(
                () -> late(ctx, "whole request", limits.requestTimeout().toMillis()),
                limits.requestTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
  }

  private void late(ChannelHandlerContext ctx, String what, long millis) {
    if (state != State.HEAD && state != State.BODY) {
      return;
    }
    refuse(
        ctx,
        HttpResponseStatus.REQUEST_TIMEOUT,
        "request_timeout",
        "the request's " + what + " took longer than " + millis + " ms to arrive");
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.CLOSING) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      if (state == State.IDLE) {
        startClock(ctx); // bytes the previous read held with the last request
      }
      String problem = problem(request);
      if (problem != null) {
        ReferenceCountUtil.release(msg);
        refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad_request", problem);
        return;
      }
      cancel(headDeadline);
      state = State.BODY;
      answerStarted = false;
      route = request.method() + " " + new QueryStringDecoder(request.uri()).rawPath();
    }
    if (msg instanceof HttpContent content && !content.decoderResult().isSuccess()) {
      ReferenceCountUtil.release(msg);
      refuse(ctx, HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed request body");
      return;
    }
    if (msg instanceof LastHttpContent && state == State.BODY) {
      cancel(requestDeadline);
      state = State.ANSWERING;
    }
    ctx.fireChannelRead(msg);
  }

  /** What is wrong with a request's line and headers, in words; null if nothing. */
  private static String problem(HttpRequest request) {
    DecoderResult result = request.decoderResult();
    if (!result.isSuccess()) {
      Throwable cause = result.cause();
      if (cause instanceof TooLongHttpLineException) {
        return "the request line (method, URL, version) is longer than "
            + HttpLimits.MAX_REQUEST_LINE_BYTES
            + " bytes";
      }
      if (cause instanceof TooLongHttpHeaderException) {
        return "the request's headers are larger than " + HttpLimits.MAX_HEADER_BYTES + " bytes";
      }
      if (cause instanceof TooLongFrameException) {
        return "a part of the request is too long";
      }
      return "malformed HTTP request";
    }
    if (request.protocolVersion().majorVersion() != 1) {
      return "only HTTP/1.0 and HTTP/1.1 are served here, not "
          + request.protocolVersion().text()
          + " (no HTTP/2 without TLS)";
    }
    return null;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof HttpResponse) {
      answerStarted = true;
    }
    if (msg instanceof LastHttpContent && state == State.ANSWERING) {
      // The answer is complete: the next request's first byte starts the clock again.
      state = State.IDLE;
    }
    ctx.write(msg, promise);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancel(headDeadline);
    cancel(requestDeadline);
    ctx.fireChannelInactive();
  }

  /** Answers {@code status} with a JSON error unless an answer has begun, and closes. */
  private void refuse(
      ChannelHandlerContext ctx, HttpResponseStatus status, String error, String message) {
    state = State.CLOSING;
    cancel(headDeadline);
    cancel(requestDeadline);
    if (answerStarted || !ctx.channel().isActive()) {
      ctx.close();
      return;
    }
    HttpReplies.errorAndClose(ctx.channel(), status, error, message);
  }

  private static void cancel(ScheduledFuture<?> deadline) {
    if (deadline != null) {
      deadline.cancel(false);
    }
  }

  private static int firstNonSpace(ByteBuf bytes) {
    for (int i = bytes.readerIndex(); i < bytes.writerIndex(); i++) {
      int b = bytes.getByte(i) & 0xFF;
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b;
      }
    }
    return -1;
  }

  /** RFC 9110 tchar: what a method name is made of. */
  private static boolean isTokenChar(int c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
