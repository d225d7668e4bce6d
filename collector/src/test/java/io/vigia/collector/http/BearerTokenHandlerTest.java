package io.vigia.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

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

class BearerTokenHandlerTest {

  private static FullHttpRequest get(String authorization) {
    var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/metrics");
    if (authorization != null) {
      request.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
    }
    return request;
  }

  @Test
  void theRightBearerTokenPassesTheRequestOn() {
    EmbeddedChannel ch = new EmbeddedChannel(new BearerTokenHandler("h77p"));
    ch.writeInbound(get("Bearer h77p"));
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).isNotNull();
    passed.release();
    assertThat((Object) ch.readOutbound()).isNull();
    ch.finishAndReleaseAll();
  }

  @Test
  void theDashboardsSessionCookiePassesTheRequestOnAndAnotherTokensDoesNot() {
    String cookie = new HttpToken("h77p").signInCookie().split(";")[0];
    String others = new HttpToken("other").signInCookie().split(";")[0];
    assertThat(cookie).startsWith(HttpToken.COOKIE + "=").doesNotContain("h77p");

    EmbeddedChannel ch = new EmbeddedChannel(new BearerTokenHandler("h77p"));
    FullHttpRequest withCookie = get(null);
    withCookie.headers().set(HttpHeaderNames.COOKIE, "theme=dark; " + cookie);
    ch.writeInbound(withCookie);
    FullHttpRequest passed = ch.readInbound();
    assertThat(passed).isNotNull();
    passed.release();
    ch.finishAndReleaseAll();

    for (String wrong : new String[] {others, HttpToken.COOKIE + "=h77p", HttpToken.COOKIE + "="}) {
      EmbeddedChannel refused = new EmbeddedChannel(new BearerTokenHandler("h77p"));
      FullHttpRequest request = get(null);
      request.headers().set(HttpHeaderNames.COOKIE, wrong);
      refused.writeInbound(request);
      FullHttpResponse response = refused.readOutbound();
      assertThat(response.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
      assertThat((Object) refused.readInbound()).isNull();
      response.release();
      refused.finishAndReleaseAll();
    }
  }

  @Test
  void aMissingOrWrongTokenGets401InJsonAndNothingPassesOn() {
    for (String authorization : new String[] {null, "Bearer nope", "Basic aDc3cA==", "h77p"}) {
      EmbeddedChannel ch = new EmbeddedChannel(new BearerTokenHandler("h77p"));
      ch.writeInbound(get(authorization));
      FullHttpResponse response = ch.readOutbound();
      try {
        assertThat(response.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        assertThat(response.headers().get(HttpHeaderNames.WWW_AUTHENTICATE)).startsWith("Bearer");
        assertThat(response.content().toString(StandardCharsets.UTF_8))
            .contains("\"error\":\"unauthorized\"")
            .doesNotContain("h77p");
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(ch.isOpen()).isFalse();
      } finally {
        response.release();
        ch.finishAndReleaseAll();
      }
    }
  }
}
