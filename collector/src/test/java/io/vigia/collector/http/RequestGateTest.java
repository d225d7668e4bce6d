package io.vigia.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Malformed, oversized, slow and failing requests on the HTTP pipeline's own handlers, with the
 * HTTP token check in place: each gets its status and a JSON body, never a 401 for bytes that are
 * not a request.
 */
class RequestGateTest {

  private static final HttpLimits LIMITS =
      new HttpLimits(64 * 1024, 100, Duration.ofSeconds(10), Duration.ofSeconds(30));

  /** Answers 200, or throws for {@code /boom}. */
  private static final class Route extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      if (request.uri().startsWith("/boom")) {
        throw new IllegalStateException("a value no renderer expected");
      }
      HttpReplies.send(
          ctx, request, HttpReplies.json(request, HttpResponseStatus.OK, "{\"ok\":true}"));
    }
  }

  private static EmbeddedChannel channel() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    RequestGate gate = new RequestGate(LIMITS);
    ch.pipeline()
        .addLast(
            gate.bytes(),
            new HttpServerCodec(
                HttpLimits.MAX_REQUEST_LINE_BYTES, HttpLimits.MAX_HEADER_BYTES, 8192),
            gate,
            new BoundedAggregator(LIMITS.maxRequestBytes()),
            new BearerTokenHandler("s3cret"),
            new Route(),
            new RouteFailures(gate));
    return ch;
  }

  private static String send(EmbeddedChannel ch, byte[] bytes) {
    ch.writeInbound(Unpooled.wrappedBuffer(bytes));
    return written(ch);
  }

  private static String written(EmbeddedChannel ch) {
    StringBuilder out = new StringBuilder();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) o;
      out.append(buf.toString(StandardCharsets.UTF_8));
      buf.release();
    }
    return out.toString();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void assertJson(String response, int status, String error) {
    assertThat(response).startsWith("HTTP/1.1 " + status + " ");
    assertThat(response).contains("content-type: application/json");
    assertThat(response).contains("\"error\":\"" + error + "\"");
  }

  @Test
  void aWellFormedRequestWithTheTokenIsAnswered() {
    EmbeddedChannel ch = channel();
    try {
      String response =
          send(ch, ascii("GET /x HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer s3cret\r\n\r\n"));
      assertThat(response).startsWith("HTTP/1.1 200 ");
      assertThat(ch.isOpen()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void garbageBytesGet400BeforeTheTokenIsLookedAt() {
    EmbeddedChannel ch = channel();
    try {
      assertJson(send(ch, new byte[] {0, 1, 2, (byte) 0xFF, 10, 13}), 400, "bad_request");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aTlsClientHelloOnThePlainPortGets400SayingSo() {
    EmbeddedChannel ch = channel();
    try {
      String response = send(ch, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01});
      assertJson(response, 400, "bad_request");
      assertThat(response).contains("plain HTTP, not TLS");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void theHttp2PrefaceGets400() {
    EmbeddedChannel ch = channel();
    try {
      String response = send(ch, ascii("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"));
      assertJson(response, 400, "bad_request");
      assertThat(response).contains("HTTP/2");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void an8KibUrlGets400NamingTheLimit() {
    EmbeddedChannel ch = channel();
    try {
      String response =
          send(ch, ascii("GET /" + "a".repeat(8192) + " HTTP/1.1\r\nHost: a\r\n\r\n"));
      assertJson(response, 400, "bad_request");
      assertThat(response).contains("longer than 4096 bytes");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void a100KibHeaderGets400NamingTheLimit() {
    EmbeddedChannel ch = channel();
    try {
      String response =
          send(ch, ascii("GET / HTTP/1.1\r\nX-Big: " + "b".repeat(100 * 1024) + "\r\n\r\n"));
      assertJson(response, 400, "bad_request");
      assertThat(response).contains("larger than 8192 bytes");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aBodyOverTheLimitGets413WithJson() {
    EmbeddedChannel ch = channel();
    try {
      String response =
          send(
              ch,
              ascii(
                  "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 204800\r\n\r\n"
                      + "c".repeat(1024)));
      assertJson(response, 413, "too_large");
      assertThat(response).contains("--max-http-request-bytes");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void headersStillArrivingAfterTheHeaderTimeoutGet408AndTheConnectionCloses() {
    EmbeddedChannel ch = channel();
    try {
      assertThat(send(ch, ascii("GET / HTTP/1.1\r\nX-Slow: "))).isEmpty();
      ch.advanceTimeBy(9, TimeUnit.SECONDS);
      ch.runPendingTasks();
      assertThat(send(ch, ascii("a"))).isEmpty();
      assertThat(ch.isOpen()).isTrue();

      ch.advanceTimeBy(1, TimeUnit.SECONDS);
      ch.runPendingTasks();

      assertJson(written(ch), 408, "request_timeout");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aBodyStillArrivingAfterTheRequestTimeoutGets408() {
    EmbeddedChannel ch = channel();
    try {
      send(ch, ascii("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nabc"));
      ch.advanceTimeBy(29, TimeUnit.SECONDS);
      ch.runPendingTasks();
      assertThat(ch.isOpen()).isTrue();
      ch.advanceTimeBy(1, TimeUnit.SECONDS);
      ch.runPendingTasks();
      assertJson(written(ch), 408, "request_timeout");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void theClockStartsAtEachRequestsFirstByteNotAtTheConnection() {
    EmbeddedChannel ch = channel();
    try {
      String auth = "Authorization: Bearer s3cret\r\n";
      assertThat(send(ch, ascii("GET /1 HTTP/1.1\r\n" + auth + "\r\n"))).startsWith("HTTP/1.1 200");
      ch.advanceTimeBy(25, TimeUnit.SECONDS);
      ch.runPendingTasks();
      assertThat(send(ch, ascii("GET /2 HTTP/1.1\r\n" + auth + "\r\n"))).startsWith("HTTP/1.1 200");
      assertThat(ch.isOpen()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aRouteThatFailsIsAnswered500WithJson() {
    EmbeddedChannel ch = channel();
    try {
      String response =
          send(ch, ascii("GET /boom HTTP/1.1\r\nAuthorization: Bearer s3cret\r\n\r\n"));
      assertJson(response, 500, "internal");
      assertThat(response).contains("GET /boom");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
