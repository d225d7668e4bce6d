package io.vigia.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonGetRouteTest {

  private final EmbeddedChannel ch =
      new EmbeddedChannel(new JsonGetRoute("/api/v1/store", () -> "{\"durable\": true}"));

  private static FullHttpRequest request(HttpMethod method, String uri) {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
  }

  @Test
  void aGetOfItsPathIsAnsweredWithTheJsonOfThatMoment() {
    try {
      ch.writeInbound(request(HttpMethod.GET, "/api/v1/store?pretty"));

      FullHttpResponse response = ch.readOutbound();
      assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .isEqualTo("{\"durable\": true}\n");
      response.release();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void anotherMethodIsRefusedWithAJsonError() {
    try {
      ch.writeInbound(request(HttpMethod.POST, "/api/v1/store"));

      FullHttpResponse response = ch.readOutbound();
      assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .contains("\"error\":\"method_not_allowed\"");
      response.release();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void anotherPathGoesOnToTheNextHandler() {
    try {
      FullHttpRequest other = request(HttpMethod.GET, "/api/v1/agents");
      ch.writeInbound(other);

      assertThat((Object) ch.readOutbound()).isNull();
      assertThat((Object) ch.readInbound()).isSameAs(other);
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
