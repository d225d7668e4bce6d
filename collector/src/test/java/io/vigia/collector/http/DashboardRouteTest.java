package io.vigia.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DashboardRouteTest {

  private final EmbeddedChannel ch = new EmbeddedChannel(new DashboardRoute());

  @AfterEach
  void close() {
    ch.finishAndReleaseAll();
  }

  private FullHttpResponse get(String uri) {
    ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri));
    return ch.readOutbound();
  }

  @Test
  void servesThePageThatLoadsOnlyFilesOfThisOrigin() {
    FullHttpResponse page = get("/");
    try {
      assertThat(page.status()).isEqualTo(HttpResponseStatus.OK);
      assertThat(page.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/html");
      assertThat(page.headers().get("Content-Security-Policy")).startsWith("default-src 'self'");
      String html = page.content().toString(StandardCharsets.UTF_8);
      assertThat(html).contains("/ui/uPlot.iife.min.js", "/ui/app.js", "/ui/app.css");
      assertThat(html).doesNotContain("http://", "https://");
    } finally {
      page.release();
    }
  }

  @Test
  void servesUplotFromItsWebjar() {
    FullHttpResponse script = get("/ui/uPlot.iife.min.js");
    try {
      assertThat(script.status()).isEqualTo(HttpResponseStatus.OK);
      assertThat(script.headers().get(HttpHeaderNames.CONTENT_TYPE)).startsWith("text/javascript");
      assertThat(script.content().toString(StandardCharsets.UTF_8)).contains("uPlot");
    } finally {
      script.release();
    }
  }

  @Test
  void passesOtherPathsOn() {
    ch.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/agents"));
    Object passed = ch.readInbound();
    assertThat(passed).isInstanceOf(DefaultFullHttpRequest.class);
    ReferenceCountUtil.release(passed);
    assertThat((Object) ch.readOutbound()).isNull();
  }
}
