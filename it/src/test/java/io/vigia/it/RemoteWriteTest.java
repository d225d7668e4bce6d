package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpServer;
import io.vigia.agent.Agent;
import io.vigia.collector.Collector;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.remotewrite.ReceiverStatus;
import io.vigia.collector.remotewrite.RemoteWriteSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write to a real Prometheus ({@code --web.enable-remote-write-receiver}) on loopback: a
 * fleet sharded across two collectors lands in one Prometheus, sample for sample; a receiver that
 * is down for a while gets the queued samples when it is back; a receiver answering 400 does not
 * hold up the others.
 */
class RemoteWriteTest {

  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final Duration INTERVAL = Duration.ofSeconds(1);

  @TempDir Path tmp;

  private final Fleet fleet = new Fleet();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    fleet.close();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closeLater(T closeable) {
    toClose.add(closeable);
    return closeable;
  }

  private static RemoteWriteSettings pushTo(URI... receivers) {
    return new RemoteWriteSettings(List.of(receivers), RemoteWriteSettings.Auth.NONE, 10_000, 50);
  }

  /** The example of scripts/prometheus/remote-write.yml, scraping these collectors every second. */
  private Path exampleConfig(Collector... collectors) throws IOException {
    String example =
        Files.readString(ExternalTool.checkout().resolve("scripts/prometheus/remote-write.yml"));
    assertThat(example)
        .contains("scrape_interval: 15s")
        .contains("- monitor-1.example.org:7071\n          - monitor-2.example.org:7071\n");
    StringBuilder targets = new StringBuilder();
    for (Collector collector : collectors) {
      targets
          .append("- 127.0.0.1:")
          .append(collector.httpAddress().getPort())
          .append("\n          ");
    }
    String config =
        example
            .replace("scrape_interval: 15s", "scrape_interval: 1s")
            .replace(
                "- monitor-1.example.org:7071\n          - monitor-2.example.org:7071\n",
                targets.toString().stripTrailing() + "\n");
    Path file = tmp.resolve("prometheus.yml");
    Files.writeString(file, config);
    return file;
  }

  /** Samples with CPU figures the collectors stored for {@code host}, all collectors together. */
  private static int stored(String host, Collector... collectors) {
    int n = 0;
    for (Collector collector : collectors) {
      n +=
          (int)
              collector.registry().history(host, Integer.MAX_VALUE).orElse(List.of()).stream()
                  .filter(StoredSample::hasCpu)
                  .count();
    }
    return n;
  }

  /** {@code count_over_time} of every per-core series, by "host/core". */
  private static Map<String, Integer> perCoreCounts(PrometheusServer prometheus)
      throws IOException, InterruptedException {
    Map<String, Integer> counts = new HashMap<>();
    for (JsonElement element :
        prometheus.query("count_over_time(vigia_host_cpu_utilisation_ratio[1h])")) {
      JsonObject series = element.getAsJsonObject();
      JsonObject labels = series.getAsJsonObject("metric");
      counts.put(
          labels.get("host").getAsString() + "/" + labels.get("core").getAsString(),
          Integer.parseInt(series.getAsJsonArray("value").get(1).getAsString()));
    }
    return counts;
  }

  private static Map<String, Integer> expectedPerCore(
      Map<String, Integer> coresByHost, Collector... collectors) {
    Map<String, Integer> expected = new HashMap<>();
    coresByHost.forEach(
        (host, cores) -> {
          for (int core = 0; core < cores; core++) {
            expected.put(host + "/" + core, stored(host, collectors));
          }
        });
    return expected;
  }

  @Test
  void aFleetShardedAcrossTwoCollectorsLandsInOnePrometheusSampleForSample() throws Exception {
    int port = PrometheusServer.freePort();
    URI receiver = URI.create("http://127.0.0.1:" + port + "/api/v1/write");
    Collector east = closeLater(Fleet.startCollector(pushTo(receiver)));
    Collector west = closeLater(Fleet.startCollector(pushTo(receiver)));
    PrometheusServer prometheus =
        closeLater(PrometheusServer.startWithRemoteWrite(exampleConfig(east, west), tmp, port));
    // Each agent's --collector list: its primary, then the other collector as a fallback.
    var eastFirst = List.of(east.ingestAddress(), west.ingestAddress());
    var westFirst = List.of(west.ingestAddress(), east.ingestAddress());
    Map<String, Integer> cores = Map.of("alpha", 2, "bravo", 4, "charlie", 1, "delta", 3);
    List<Agent> agents =
        List.of(
            fleet.agent(Fleet.streamingConfig("alpha", eastFirst, INTERVAL), 2, 100),
            fleet.agent(Fleet.streamingConfig("bravo", eastFirst, INTERVAL), 4, 200),
            fleet.agent(Fleet.streamingConfig("charlie", westFirst, INTERVAL), 1, 300),
            fleet.agent(Fleet.streamingConfig("delta", westFirst, INTERVAL), 3, 400));
    await()
        .atMost(PATIENCE)
        .until(() -> cores.keySet().stream().allMatch(host -> stored(host, east, west) >= 4));
    agents.forEach(Agent::close); // drains, so that the counts below are final

    Map<String, Integer> expected = expectedPerCore(cores, east, west);
    assertThat(expected).hasSize(10);
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(perCoreCounts(prometheus)).isEqualTo(expected));

    // The shards: alpha and bravo on east, charlie and delta on west.
    assertThat(stored("alpha", east)).isEqualTo(stored("alpha", east, west));
    assertThat(stored("delta", west)).isEqualTo(stored("delta", east, west));
    // Values at the agents' figures: core 2 of bravo is 202 per mille busy.
    JsonArray bravo2 =
        prometheus.query(
            "max_over_time(vigia_host_cpu_utilisation_ratio{host=\"bravo\",core=\"2\"}[1h])");
    assertThat(bravo2.get(0).getAsJsonObject().getAsJsonArray("value").get(1).getAsString())
        .isEqualTo("0.202");
    for (Collector collector : List.of(east, west)) {
      ReceiverStatus status = collector.remoteWrite().status().get(0);
      assertThat(status.droppedTotal()).isZero();
      assertThat(status.queued()).isZero();
    }
    // The example's job scrapes the collectors' health and drops their per-host series.
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> assertThat(prometheus.query("vigia_remote_write_sent_samples_total")).hasSize(2));
    assertThat(prometheus.query("vigia_host_cpu_busy_ratio{job!=\"\"}")).isEmpty();
  }

  @Test
  void aReceiverThatWasDownGetsTheQueuedSamplesWhenItIsBack() throws Exception {
    int port = PrometheusServer.freePort();
    Collector collector =
        closeLater(
            Fleet.startCollector(pushTo(URI.create("http://127.0.0.1:" + port + "/api/v1/write"))));
    Agent agent =
        fleet.agent(
            Fleet.streamingConfig("echo", List.of(collector.ingestAddress()), INTERVAL), 2, 500);
    await().atMost(PATIENCE).until(() -> stored("echo", collector) >= 3);
    await().atMost(PATIENCE).until(() -> collector.remoteWrite().status().get(0).retried() > 0);
    agent.close();
    ReceiverStatus down = collector.remoteWrite().status().get(0);
    assertThat(down.sent()).isZero();
    assertThat(down.lagSeconds()).isPositive();
    assertThat(down.lastError()).isNotEmpty();

    PrometheusServer prometheus =
        closeLater(PrometheusServer.startWithRemoteWrite(exampleConfig(collector), tmp, port));

    Map<String, Integer> expected = expectedPerCore(Map.of("echo", 2), collector);
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(perCoreCounts(prometheus)).isEqualTo(expected));
    ReceiverStatus back = collector.remoteWrite().status().get(0);
    assertThat(back.sent()).isEqualTo(stored("echo", collector));
    assertThat(back.droppedTotal()).isZero();
    assertThat(back.queued()).isZero();
    assertThat(back.lagSeconds()).isZero();
  }

  @Test
  void aDeadReceiverCostsTheQueueNotIngestAndTheOverflowIsCounted() throws Exception {
    int dead = PrometheusServer.freePort();
    Collector collector =
        closeLater(
            Fleet.startCollector(
                new RemoteWriteSettings(
                    List.of(URI.create("http://127.0.0.1:" + dead + "/api/v1/write")),
                    RemoteWriteSettings.Auth.NONE,
                    3,
                    1)));
    Agent agent =
        fleet.agent(
            Fleet.streamingConfig("golf", List.of(collector.ingestAddress()), INTERVAL), 1, 50);

    // Ingest goes on at its pace while nothing can be delivered.
    await().atMost(PATIENCE).until(() -> stored("golf", collector) >= 7);
    agent.close();

    int stored = stored("golf", collector);
    ReceiverStatus status = collector.remoteWrite().status().get(0);
    assertThat(status.sent()).isZero();
    assertThat(status.queued()).isEqualTo(3);
    // The oldest sample is the one being retried; the queue keeps the newest three.
    assertThat(status.dropped()).containsEntry("queue_full", (long) stored - 3 - 1);
    assertThat(status.retried()).isPositive();
    assertThat(status.lagSeconds()).isGreaterThanOrEqualTo(stored - 2);
  }

  /**
   * A collector stopping while its receiver was down and has just come back sends what it queued
   * before it exits (SIGTERM, systemctl stop), instead of dropping it.
   */
  @Test
  void whatIsQueuedIsSentWhenTheCollectorStops() throws Exception {
    int port = PrometheusServer.freePort();
    Collector collector =
        Fleet.startCollector(pushTo(URI.create("http://127.0.0.1:" + port + "/api/v1/write")));
    Agent agent =
        fleet.agent(
            Fleet.streamingConfig("delta", List.of(collector.ingestAddress()), INTERVAL), 2, 500);
    await().atMost(PATIENCE).until(() -> stored("delta", collector) >= 3);
    await().atMost(PATIENCE).until(() -> collector.remoteWrite().status().get(0).retried() > 0);
    agent.close();
    int queued = stored("delta", collector);
    AtomicInteger received = new AtomicInteger();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    receiver.createContext(
        "/api/v1/write", WriteRequestBodies.accepting("vigia_host_cpu_busy_ratio", received));
    receiver.start();
    closeLater(() -> receiver.stop(0));

    // The sender is waiting out its retry delay (up to 30 s): stopping must not wait for it.
    long started = System.nanoTime();
    collector.close();
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(received.get()).isEqualTo(queued);
    assertThat(collector.remoteWrite().status().get(0).queued()).isZero();
    assertThat(took).isLessThan(Duration.ofSeconds(15));
  }

  @Test
  void aReceiverAnswering400DoesNotHoldUpTheOthers() throws Exception {
    List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
    Map<String, Integer> seriesSeen = new ConcurrentHashMap<>();
    HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    refusing.createContext(
        "/api/v1/write",
        exchange -> {
          Map<String, String> got = new HashMap<>();
          for (String name :
              List.of(
                  "Content-Encoding",
                  "Content-Type",
                  "X-Prometheus-Remote-Write-Version",
                  "Authorization")) {
            got.put(name, String.valueOf(exchange.getRequestHeaders().getFirst(name)));
          }
          headers.add(got);
          WriteRequestBodies.countInto(exchange.getRequestBody(), seriesSeen);
          byte[] answer = "out of bounds\n".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(400, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    refusing.start();
    closeLater(() -> refusing.stop(0));
    int port = PrometheusServer.freePort();
    Path token = Files.writeString(tmp.resolve("token"), "s3cret-token\n");
    URI bad = URI.create("http://127.0.0.1:" + refusing.getAddress().getPort() + "/api/v1/write");
    URI good = URI.create("http://127.0.0.1:" + port + "/api/v1/write");
    Collector collector =
        closeLater(
            Fleet.startCollector(
                new RemoteWriteSettings(
                    List.of(bad, good),
                    RemoteWriteSettings.Auth.fromFiles(token, null),
                    10_000,
                    2)));
    PrometheusServer prometheus =
        closeLater(PrometheusServer.startWithRemoteWrite(exampleConfig(collector), tmp, port));
    Agent agent =
        fleet.agent(
            Fleet.streamingConfig("foxtrot", List.of(collector.ingestAddress()), INTERVAL), 3, 700);
    await().atMost(PATIENCE).until(() -> stored("foxtrot", collector) >= 4);
    agent.close();

    Map<String, Integer> expected = expectedPerCore(Map.of("foxtrot", 3), collector);
    await()
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(perCoreCounts(prometheus)).isEqualTo(expected));
    int stored = stored("foxtrot", collector);
    await()
        .atMost(PATIENCE)
        .until(() -> collector.remoteWrite().status().get(0).droppedTotal() == stored);
    ReceiverStatus refused = collector.remoteWrite().status().get(0);
    assertThat(refused.dropped()).containsEntry("http_400", (long) stored);
    assertThat(refused.retried()).as("a 400 is not retried").isZero();
    assertThat(refused.sent()).isZero();
    assertThat(refused.lastError()).isEqualTo("HTTP 400: out of bounds");
    assertThat(collector.remoteWrite().status().get(1).sent()).isEqualTo(stored);
    // What the refusing receiver saw: the standard headers and the whole of every sample.
    assertThat(headers)
        .allSatisfy(
            got ->
                assertThat(got)
                    .containsEntry("Content-Encoding", "snappy")
                    .containsEntry("Content-Type", "application/x-protobuf")
                    .containsEntry("X-Prometheus-Remote-Write-Version", "0.1.0")
                    .containsEntry("Authorization", "Bearer s3cret-token"));
    assertThat(seriesSeen)
        .containsEntry("vigia_host_cpu_utilisation_ratio", 3 * stored)
        .containsEntry("vigia_host_cpu_busy_ratio", stored)
        .containsEntry("vigia_host_cpu_mode_ratio", 8 * stored);

    // The same figures in the collector's /metrics and API.
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + collector.httpAddress().getPort();
    String metrics =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .contains(
            "vigia_remote_write_dropped_samples_total{reason=\"http_400\",receiver=\""
                + bad
                + "\"} "
                + stored
                + ".0")
        .contains(
            "vigia_remote_write_sent_samples_total{receiver=\"" + good + "\"} " + stored + ".0")
        .contains("vigia_remote_write_queued_samples{receiver=\"" + good + "\"} 0.0");
    String api =
        http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/remote-write")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(api).contains("\"http_400\": \"" + stored + "\"").doesNotContain("s3cret");
  }
}
