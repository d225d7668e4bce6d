package io.vigia.collector.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vigia.collector.registry.HostRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetricsHttpHandlerTest {

  private final CollectorMetrics metrics =
      new CollectorMetrics(new HostRegistry(10, InstantSource.fixed(Instant.EPOCH)));
  private final List<String> passedOn = new ArrayList<>();
  private final EmbeddedChannel ch =
      new EmbeddedChannel(
          metrics.httpRoute(),
          new SimpleChannelInboundHandler<FullHttpRequest>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
              passedOn.add(request.uri());
            }
          });

  @AfterEach
  void closeChannel() {
    ch.finishAndReleaseAll();
  }

  private FullHttpResponse request(HttpMethod method, String uri, String accept) {
    var request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
    if (accept != null) {
      request.headers().set(HttpHeaderNames.ACCEPT, accept);
    }
    ch.writeInbound(request);
    return ch.readOutbound();
  }

  @Test
  void getMetricsAnswersInThePrometheusTextFormat() {
    FullHttpResponse response = request(HttpMethod.GET, "/metrics", null);
    try {
      assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
      assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE))
          .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .contains("# TYPE vigia_hosts gauge\n");
      assertThat(passedOn).isEmpty();
    } finally {
      response.release();
    }
  }

  @Test
  void theRejectionCountersAreInTheApiByReason() {
    metrics.rejected(io.vigia.proto.ErrorCode.BAD_TOKEN);
    metrics.rejected(io.vigia.proto.ErrorCode.BAD_TOKEN);
    metrics.rejected(io.vigia.proto.ErrorCode.RATE_EXCEEDED);
    FullHttpResponse response = request(HttpMethod.GET, "/api/v1/rejections", null);
    try {
      assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
      assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE))
          .isEqualTo("application/json");
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .contains("\"bad_token\":\"2\"")
          .contains("\"rate_exceeded\":\"1\"")
          .contains("\"too_many_links_from_address\":\"0\"");
      assertThat(passedOn).isEmpty();
    } finally {
      response.release();
    }
  }

  @Test
  void aScraperThatPrefersOpenMetricsGetsOpenMetrics() {
    FullHttpResponse response =
        request(
            HttpMethod.GET,
            "/metrics",
            "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
    try {
      assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE))
          .startsWith("application/openmetrics-text");
      assertThat(response.content().toString(StandardCharsets.UTF_8)).endsWith("# EOF\n");
    } finally {
      response.release();
    }
  }

  @Test
  void aPostIsRefusedNamingTheMethodsAllowed() {
    FullHttpResponse response = request(HttpMethod.POST, "/metrics", null);
    try {
      assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
      assertThat(response.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
    } finally {
      response.release();
    }
  }

  @Test
  void everyOtherPathGoesOnToTheApi() {
    assertThat((Object) request(HttpMethod.GET, "/api/v1/agents", null)).isNull();
    assertThat((Object) request(HttpMethod.GET, "/metricsx", null)).isNull();

    assertThat(passedOn).containsExactly("/api/v1/agents", "/metricsx");
  }
}
