package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} as Prometheus's own tools read it: {@code promtool check metrics} on a live
 * scrape, and a real Prometheus server on loopback, configured with {@code
 * scripts/prometheus/prometheus.yml}, that scrapes the collector and answers a query for one core.
 */
class PrometheusTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private Fleet fleet;
  private Process prometheus;

  @TempDir Path tmp;

  @BeforeEach
  void startFleet() throws Exception {
    fleet = Fleet.withCollector();
    Fleet.sample(fleet.agent("alpha", 4, 250), 2);
    Fleet.sample(fleet.agent("bravo", 2, 600), 2);
    await().atMost(PATIENCE).until(() -> fleet.collector().registry().storedSamples() == 4);
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    fleet.close();
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void promtoolFindsNoProblemInALiveScrape() throws Exception {
    Path promtool = ExternalTool.require("promtool", "prometheus");
    HttpResponse<String> scrape = get(fleet.apiUrl() + "/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("vigia_host_cpu_utilisation_ratio{core=\"3\",host=\"alpha\"}");
    Path file = tmp.resolve("scrape.txt");
    Files.writeString(file, scrape.body());
    Path report = tmp.resolve("promtool.txt");

    Process check =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectInput(file.toFile())
            .redirectErrorStream(true)
            .redirectOutput(report.toFile())
            .start();

    assertThat(check.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    assertThat(Files.readString(report)).as("promtool's findings").isEmpty();
    assertThat(check.exitValue()).isZero();
  }

  @Test
  void prometheusScrapesTheCollectorAndAnswersForOneCore() throws Exception {
    Path binary = ExternalTool.require("prometheus", "prometheus");
    String example =
        Files.readString(ExternalTool.checkout().resolve("scripts/prometheus/prometheus.yml"));
    // The example as the README shows it, pointed at this test's collector and scraping faster.
    assertThat(example).contains("- 127.0.0.1:7071").contains("scrape_interval: 15s");
    String config =
        example
            .replace("- 127.0.0.1:7071", "- 127.0.0.1:" + fleet.collector().httpAddress().getPort())
            .replace("scrape_interval: 15s", "scrape_interval: 1s");
    Path configFile = tmp.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    int port = freePort();
    prometheus =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + tmp.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("prometheus.log").toFile())
            .start();
    String query =
        "http://127.0.0.1:"
            + port
            + "/api/v1/query?query="
            + URLEncoder.encode(
                "vigia_host_cpu_utilisation_ratio{host=\"alpha\",core=\"2\"}",
                StandardCharsets.UTF_8);

    JsonArray result =
        await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(() -> series(get(query)), found -> found != null && found.size() == 1);

    JsonObject series = result.get(0).getAsJsonObject();
    JsonObject labels = series.getAsJsonObject("metric");
    assertThat(labels.get("job").getAsString()).isEqualTo("vigia");
    assertThat(labels.get("host").getAsString()).isEqualTo("alpha");
    assertThat(labels.get("core").getAsString()).isEqualTo("2");
    // The synthetic sampler gives core n a busy share of (250 + n) per mille.
    assertThat(series.getAsJsonArray("value").get(1).getAsString()).isEqualTo("0.252");
  }

  private static JsonArray series(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      return null;
    }
    JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
    return body.getAsJsonObject("data").getAsJsonArray("result");
  }

  private static int freePort() throws IOException {
    // Prometheus does not report the port it bound, so the test picks one that is free now.
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
