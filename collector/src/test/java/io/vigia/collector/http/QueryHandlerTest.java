package io.vigia.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueryHandlerTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final long EPOCH = 1_740_823_200_000L;

  private final HostRegistry registry = new HostRegistry(100, InstantSource.fixed(T0));
  private final EmbeddedChannel ch =
      new EmbeddedChannel(new HttpObjectAggregator(65536), new QueryHandler(registry));

  @AfterEach
  void closeChannel() {
    ch.finishAndReleaseAll();
  }

  /** What a client sees of one response. */
  private record Response(HttpResponseStatus status, String contentType, String body) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }
  }

  private Response request(HttpMethod method, String uri) {
    ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri));
    FullHttpResponse response = ch.readOutbound();
    assertThat(response).as("a response to %s %s", method, uri).isNotNull();
    try {
      return new Response(
          response.status(),
          response.headers().get(HttpHeaderNames.CONTENT_TYPE),
          response.content().toString(StandardCharsets.UTF_8));
    } finally {
      response.release();
    }
  }

  private Response get(String uri) {
    return request(HttpMethod.GET, uri);
  }

  private void connect(long link, String id, int cores, String address) {
    registry.connect(
        link,
        new HostIdentity(
            id, id + ".example.org", "Debian GNU/Linux 12", cores, "0.1.0", EPOCH, 5000),
        address);
  }

  private void append(long link, String id, long seq, int busy, int... cores) {
    registry.append(
        link,
        id,
        new StoredSample(
            EPOCH,
            seq,
            T0.plusSeconds(5 * seq),
            5000,
            new CpuFigures(busy, cores, 300, 0, 117, 0, 0, 0, 0, 583)));
  }

  private static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.getAsString()));
    return values;
  }

  private static List<Double> numbers(JsonArray array) {
    List<Double> values = new ArrayList<>();
    array.forEach(value -> values.add(value.getAsDouble()));
    return values;
  }

  @Test
  void agentsListsEveryHostWithItsStateAndLatestCpu() {
    connect(1, "web-1", 2, "10.0.0.7:50412");
    append(1, "web-1", 1, 250, 200, 300);
    append(1, "web-1", 2, 417, 400, 434);
    connect(2, "db-1", 1, "10.0.0.8:40000");

    Response response = get("/api/v1/agents");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(response.contentType()).startsWith("application/json");
    JsonArray agents = response.json().getAsJsonArray("agents");
    assertThat(agents).hasSize(2);
    JsonObject db = agents.get(0).getAsJsonObject();
    JsonObject web = agents.get(1).getAsJsonObject();
    assertThat(db.get("id").getAsString()).isEqualTo("db-1");
    assertThat(db.get("samples").getAsInt()).isZero();
    assertThat(web.get("id").getAsString()).isEqualTo("web-1");
    assertThat(web.get("hostname").getAsString()).isEqualTo("web-1.example.org");
    assertThat(web.get("address").getAsString()).isEqualTo("10.0.0.7:50412");
    assertThat(web.get("state").getAsString()).isEqualTo("CONNECTED");
    assertThat(web.get("cores").getAsInt()).isEqualTo(2);
    assertThat(web.get("cpuPercent").getAsDouble()).isEqualTo(41.7);
    assertThat(numbers(web.getAsJsonArray("corePercent"))).containsExactly(40.0, 43.4);
    assertThat(web.get("lastSeen").getAsString()).isEqualTo("2025-03-01T10:00:00Z");
    assertThat(web.get("samples").getAsInt()).isEqualTo(2);
  }

  @Test
  void agentsOfAnEmptyCollectorIsAnEmptyList() {
    Response response = get("/api/v1/agents");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(response.body()).isEqualTo("{\"agents\":[]}\n");
  }

  @Test
  void oneAgentIsServedByItsId() {
    connect(1, "web-1", 2, "10.0.0.7:50412");
    append(1, "web-1", 1, 417, 400, 434);

    Response response = get("/api/v1/agents/web-1");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.body())
        .isEqualTo(
            """
            {"id":"web-1","hostname":"web-1.example.org","address":"10.0.0.7:50412",\
            "state":"CONNECTED","cores":2,"cpuPercent":41.7,"lastSeen":"2025-03-01T10:00:00Z",\
            "samples":1,"os":"Debian GNU/Linux 12","agentVersion":"0.1.0","intervalMs":5000,\
            "epoch":"1740823200000","lastSeq":"1","stateSince":"2025-03-01T10:00:00Z",\
            "corePercent":[40.0,43.4],"fileSystems":[],"disks":[],"interfaces":[],"hasCpu":true,\
            "spoolDropped":"0","duplicates":"0","links":1,"spoolDiskBytes":"0","spoolRecovered":"0"}
            """);
  }

  @Test
  void anAgentIdWithSpacesAndASlashIsServedWhenPercentEncoded() {
    connect(1, "rack 7/web 1", 1, "10.0.0.7:50412");

    Response response = get("/api/v1/agents/rack%207%2Fweb%201");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(response.json().get("id").getAsString()).isEqualTo("rack 7/web 1");
  }

  @Test
  void aPlusInAnAgentIdIsTakenLiterally() {
    connect(1, "web+1", 1, "10.0.0.7:50412");

    Response response = get("/api/v1/agents/web+1");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(response.json().get("id").getAsString()).isEqualTo("web+1");
  }

  @Test
  void anAgentIdWithAPercentSignIsServedWhenPercentEncoded() {
    connect(1, "cpu-100%", 1, "10.0.0.7:50412");

    Response response = get("/api/v1/agents/cpu-100%25/history");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(response.json().get("id").getAsString()).isEqualTo("cpu-100%");
  }

  @Test
  void aMalformedEscapeInAnAgentIdIsABadRequest() {
    Response response = get("/api/v1/agents/web%zz");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    assertThat(response.json().get("error").getAsString()).isEqualTo("bad_request");
  }

  @Test
  void anUnknownAgentIsNotFoundWithAJsonError() {
    connect(1, "web-1", 2, "10.0.0.7:50412");

    Response response = get("/api/v1/agents/nobody");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.json().get("error").getAsString()).isEqualTo("not_found");
    assertThat(response.json().get("message").getAsString()).contains("nobody");
  }

  @Test
  void historyReturnsTheNewestSamplesOldestFirst() {
    connect(1, "web-1", 2, "10.0.0.7:50412");
    append(1, "web-1", 1, 100, 100, 100);
    append(1, "web-1", 2, 200, 150, 250);
    append(1, "web-1", 3, 417, 400, 434);

    Response response = get("/api/v1/agents/web-1/history?last=2");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    JsonObject history = response.json();
    assertThat(history.get("id").getAsString()).isEqualTo("web-1");
    JsonArray samples = history.getAsJsonArray("samples");
    assertThat(samples).hasSize(2);
    JsonObject older = samples.get(0).getAsJsonObject();
    JsonObject newer = samples.get(1).getAsJsonObject();
    assertThat(older.get("seq").getAsLong()).isEqualTo(2);
    assertThat(older.get("time").getAsString()).isEqualTo("2025-03-01T10:00:10Z");
    assertThat(older.get("cpuPercent").getAsDouble()).isEqualTo(20.0);
    assertThat(numbers(older.getAsJsonArray("corePercent"))).containsExactly(15.0, 25.0);
    assertThat(newer.get("seq").getAsLong()).isEqualTo(3);
    assertThat(newer.get("time").getAsString()).isEqualTo("2025-03-01T10:00:15Z");
    assertThat(newer.get("cpuPercent").getAsDouble()).isEqualTo(41.7);
    assertThat(numbers(newer.getAsJsonArray("corePercent"))).containsExactly(40.0, 43.4);
  }

  @Test
  void historyWithoutLastReturnsEverySampleHeld() {
    connect(1, "web-1", 1, "10.0.0.7:50412");
    append(1, "web-1", 1, 100, 100);
    append(1, "web-1", 2, 200, 200);
    append(1, "web-1", 3, 300, 300);

    Response response = get("/api/v1/agents/web-1/history");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    List<String> seqs = new ArrayList<>();
    for (JsonElement sample : response.json().getAsJsonArray("samples")) {
      seqs.add(sample.getAsJsonObject().get("seq").getAsString());
    }
    assertThat(seqs).containsExactly("1", "2", "3");
  }

  @Test
  void historyOfAnUnknownAgentIsNotFound() {
    Response response = get("/api/v1/agents/nobody/history?last=2");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    assertThat(response.json().get("error").getAsString()).isEqualTo("not_found");
  }

  @Test
  void aLastThatIsNotANumberIsABadRequest() {
    connect(1, "web-1", 1, "10.0.0.7:50412");

    Response response = get("/api/v1/agents/web-1/history?last=abc");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    assertThat(response.json().get("error").getAsString()).isEqualTo("bad_request");
    assertThat(response.json().get("message").getAsString()).contains("last");
  }

  @Test
  void aLastAboveTheQueryLimitIsABadRequestNamingTheLimit() {
    EmbeddedChannel limited =
        new EmbeddedChannel(new HttpObjectAggregator(65536), new QueryHandler(registry, 3));
    try {
      connect(1, "web-1", 1, "10.0.0.7:50412");
      limited.writeInbound(
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/agents/web-1/history?last=4"));
      FullHttpResponse response = limited.readOutbound();

      assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .contains("more than this collector returns at once (3, --max-query-samples)");
      response.release();
    } finally {
      limited.finishAndReleaseAll();
    }
  }

  @Test
  void withoutLastTheNewestSamplesUpToTheQueryLimitAreReturned() {
    EmbeddedChannel limited =
        new EmbeddedChannel(new HttpObjectAggregator(65536), new QueryHandler(registry, 2));
    try {
      connect(1, "web-1", 1, "10.0.0.7:50412");
      for (int seq = 1; seq <= 5; seq++) {
        append(1, "web-1", seq, 100, 100);
      }
      limited.writeInbound(
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/agents/web-1/history"));
      FullHttpResponse response = limited.readOutbound();

      assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
      assertThat(response.content().toString(StandardCharsets.UTF_8))
          .contains("\"seq\":\"4\"")
          .contains("\"seq\":\"5\"")
          .doesNotContain("\"seq\":\"3\"");
      response.release();
    } finally {
      limited.finishAndReleaseAll();
    }
  }

  @Test
  void aLastOfZeroIsABadRequest() {
    connect(1, "web-1", 1, "10.0.0.7:50412");

    Response response = get("/api/v1/agents/web-1/history?last=0");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    assertThat(response.json().get("error").getAsString()).isEqualTo("bad_request");
  }

  @Test
  void aMalformedEscapeInTheQueryIsABadRequest() {
    connect(1, "web-1", 1, "10.0.0.7:50412");

    Response response = get("/api/v1/agents/web-1/history?last=%zz");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    assertThat(response.json().get("error").getAsString()).isEqualTo("bad_request");
  }

  @Test
  void aPostIsMethodNotAllowed() {
    Response response = request(HttpMethod.POST, "/api/v1/agents");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    assertThat(response.json().get("error").getAsString()).isEqualTo("method_not_allowed");
  }

  @Test
  void anUnknownPathIsNotFoundWithAJsonError() {
    Response response = get("/nope");

    assertThat(response.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(response.json().get("error").getAsString()).isEqualTo("not_found");
    assertThat(response.json().get("message").getAsString()).contains("/api/v1/agents");
  }

  @Test
  void anUnknownPathBelowAnAgentIsNotFound() {
    connect(1, "web-1", 1, "10.0.0.7:50412");

    assertThat(get("/api/v1/agents/web-1/nope").status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
  }

  @Test
  void aSuccessfulAnswerKeepsTheConnectionOpenForTheNextRequest() {
    Response first = get("/api/v1/agents");
    Response second = get("/api/v1/agents");

    assertThat(first.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(second.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void anErrorAnswerClosesTheConnection() {
    get("/nope");

    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void answersAreNotCached() {
    ch.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/agents"));
    FullHttpResponse response = ch.readOutbound();
    try {
      assertThat(response.headers().get(HttpHeaderNames.CACHE_CONTROL)).isEqualTo("no-store");
      assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH))
          .isEqualTo(response.content().readableBytes());
    } finally {
      response.release();
    }
  }
}
