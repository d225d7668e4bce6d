package io.vigia.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SessionRouteTest {

  private final HttpToken token = new HttpToken("h77p");

  private FullHttpResponse send(HttpMethod method, String path, String body) {
    EmbeddedChannel ch = new EmbeddedChannel(new SessionRoute(token));
    ch.writeInbound(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            method,
            path,
            Unpooled.copiedBuffer(body, StandardCharsets.UTF_8)));
    FullHttpResponse response = ch.readOutbound();
    ch.finishAndReleaseAll();
    return response;
  }

  @Test
  void theRightTokenSignsTheBrowserInWithAStrictHttpOnlyCookieThatAdmitsItsRequests() {
    FullHttpResponse response = send(HttpMethod.POST, SessionRoute.PATH, "h77p\n");
    try {
      assertThat(response.status()).isEqualTo(HttpResponseStatus.NO_CONTENT);
      String setCookie = response.headers().get(HttpHeaderNames.SET_COOKIE);
      assertThat(setCookie)
          .startsWith(HttpToken.COOKIE + "=")
          .containsIgnoringCase("HttpOnly")
          .contains("SameSite=Strict")
          .contains("Path=/")
          .doesNotContain("h77p");
      FullHttpRequest next =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/stream");
      next.headers().set(HttpHeaderNames.COOKIE, setCookie.split(";")[0]);
      assertThat(token.admits(next)).isTrue();
      next.release();
    } finally {
      response.release();
    }
  }

  @Test
  void aWrongTokenGets401AndNoCookie() {
    FullHttpResponse response = send(HttpMethod.POST, SessionRoute.PATH, "guess");
    try {
      assertThat(response.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
      assertThat(response.headers().contains(HttpHeaderNames.SET_COOKIE)).isFalse();
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .contains("\"error\":\"unauthorized\"");
    } finally {
      response.release();
    }
  }

  @Test
  void deleteSignsOutAndOtherMethodsAreRefused() {
    FullHttpResponse out = send(HttpMethod.DELETE, SessionRoute.PATH, "");
    assertThat(out.status()).isEqualTo(HttpResponseStatus.NO_CONTENT);
    assertThat(out.headers().get(HttpHeaderNames.SET_COOKIE))
        .startsWith(HttpToken.COOKIE + "=;")
        .contains("Max-Age=0");
    out.release();
    FullHttpResponse get = send(HttpMethod.GET, SessionRoute.PATH, "");
    assertThat(get.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    assertThat(get.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST, DELETE");
    get.release();
  }

  @Test
  void otherPathsGoOnUntouched() {
    EmbeddedChannel ch = new EmbeddedChannel(new SessionRoute(token));
    ch.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/agents"));
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).isNotNull();
    passed.release();
    assertThat((Object) ch.readOutbound()).isNull();
    ch.finishAndReleaseAll();
  }
}
