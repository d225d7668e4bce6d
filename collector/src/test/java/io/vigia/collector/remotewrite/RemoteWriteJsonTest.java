package io.vigia.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteWriteJsonTest {

  @Test
  void rendersEveryReceiverWithItsCounters() {
    ReceiverStatus status =
        new ReceiverStatus(
            "http://127.0.0.1:9090/api/v1/write",
            120,
            3000,
            4096,
            7,
            Map.of("queue_full", 2L, "http_400", 5L),
            3,
            72000,
            1.5,
            "HTTP 400: out of order sample",
            Instant.parse("2026-01-01T00:00:00Z"));

    JsonObject json =
        JsonParser.parseString(RemoteWriteJson.of(List.of(status)))
            .getAsJsonObject()
            .getAsJsonArray("receivers")
            .get(0)
            .getAsJsonObject();

    assertThat(json.get("url").getAsString()).isEqualTo("http://127.0.0.1:9090/api/v1/write");
    assertThat(json.get("sent").getAsString()).isEqualTo("120");
    assertThat(json.get("seriesSamplesSent").getAsString()).isEqualTo("3000");
    assertThat(json.get("retried").getAsString()).isEqualTo("7");
    assertThat(json.get("dropped").getAsString()).isEqualTo("7");
    assertThat(json.getAsJsonObject("droppedByReason").get("http_400").getAsString())
        .isEqualTo("5");
    assertThat(json.get("queued").getAsInt()).isEqualTo(3);
    assertThat(json.get("lagSeconds").getAsDouble()).isEqualTo(1.5);
    assertThat(json.get("lastSuccess").getAsString()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void answersItsPathAndPassesTheRestOn() {
    RemoteWrite none = RemoteWrite.start(RemoteWriteSettings.NONE, "test", InstantSource.system());
    EmbeddedChannel ch = new EmbeddedChannel(none.apiRoute());
    try {
      FullHttpRequest other =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/agents");
      ch.writeInbound(other);
      assertThat((Object) ch.readInbound()).isSameAs(other);

      ch.writeInbound(
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/remote-write"));
      FullHttpResponse response = ch.readOutbound();
      assertThat(response.status().code()).isEqualTo(200);
      assertThat(response.content().toString(StandardCharsets.UTF_8).strip())
          .isEqualTo("{\n  \"receivers\": []\n}");
      response.release();
    } finally {
      ch.finishAndReleaseAll();
      none.close();
    }
  }
}
