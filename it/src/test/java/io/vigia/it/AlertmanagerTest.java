package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.vigia.agent.Agent;
import io.vigia.collector.alert.AlertSettings;
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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts end to end, with a real Alertmanager (Debian's prometheus-alertmanager) and a webhook
 * receiver on loopback: an agent whose CPU is busy fires the CPU rule, Alertmanager lists it and
 * drops it once it resolves; a host whose link dies without a Goodbye fires HostLost within its
 * delay; a webhook that is down at first and then comes back gets every notification, in order.
 */
class AlertmanagerTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<String> webhookBodies = new CopyOnWriteArrayList<>();
  private Fleet fleet;
  private Process alertmanager;
  private HttpServer webhook;
  private Agent agent;

  @TempDir Path tmp;

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    if (fleet != null) {
      fleet.close();
    }
    if (webhook != null) {
      webhook.stop(0);
    }
    if (alertmanager != null) {
      alertmanager.destroy();
      alertmanager.waitFor();
    }
  }

  @Test
  void busyCpuAndALostHostReachAlertmanagerAndADownWebhookGetsEveryNotification() throws Exception {
    Path binary = ExternalTool.require("prometheus-alertmanager", "prometheus-alertmanager");
    int amPort = CollectorProcess.freePort();
    Files.writeString(
        tmp.resolve("alertmanager.yml"),
        """
        route:
          receiver: nobody
          group_wait: 1s
        receivers:
          - name: nobody
        """);
    alertmanager =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + tmp.resolve("alertmanager.yml"),
                "--storage.path=" + tmp.resolve("am-data"),
                "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("alertmanager.log").toFile())
            .start();
    String am = "http://127.0.0.1:" + amPort;
    await()
        .atMost(PATIENCE)
        .ignoreExceptions()
        .until(() -> get(am + "/api/v2/status").statusCode() == 200);

    // The webhook's port is chosen now, but nothing listens there until later.
    int webhookPort = CollectorProcess.freePort();
    Path rules = tmp.resolve("rules.yml");
    Files.writeString(
        rules,
        """
        groups:
          - name: test
            rules:
              - alert: HostCpuSaturated
                for: 0s
              - alert: HostLost
                for: 3s
        """);
    fleet =
        Fleet.withCollector(
            Fleet.fastConfig()
                .alerts(
                    new AlertSettings(
                        true,
                        rules,
                        List.of(URI.create(am)),
                        List.of(URI.create("http://127.0.0.1:" + webhookPort + "/hook")),
                        Duration.ofSeconds(2),
                        AlertSettings.DEFAULT_QUEUE,
                        100,
                        Duration.ofMillis(200))));

    BusyCpu cpu = new BusyCpu();
    agent = BusyCpu.agent(fleet, "hot", cpu);
    cpu.busy.set(970);
    Fleet.sample(agent, 1);

    await()
        .atMost(PATIENCE)
        .until(() -> get(am + "/api/v2/alerts").body(), body -> body.contains("HostCpuSaturated"));
    String listed = get(am + "/api/v2/alerts").body();
    assertThat(listed).contains("\"host\":\"hot\"").contains("hot.test: CPU 97% busy");

    // The load stops: the next sample resolves it, and Alertmanager lets it go.
    cpu.busy.set(50);
    Fleet.sample(agent, 1);
    await()
        .atMost(PATIENCE)
        .until(() -> get(am + "/api/v2/alerts").body(), body -> !body.contains("HostCpuSaturated"));

    // A host whose link dies without a Goodbye (its agent was killed).
    long killedAt;
    try (RawAgent doomed = new RawAgent(fleet.collector().ingestAddress())) {
      doomed.writeAtOnce(RawAgent.wire(RawAgent.hello("doomed", 1, 7), RawAgent.snapshot(1, 1)));
      doomed.awaitAck(1);
      killedAt = System.nanoTime();
    }
    await()
        .atMost(PATIENCE)
        .until(
            () -> get(am + "/api/v2/alerts").body(),
            body -> body.contains("HostLost") && body.contains("\"host\":\"doomed\""));
    long seconds = Duration.ofNanos(System.nanoTime() - killedAt).toSeconds();
    assertThat(seconds).as("HostLost with for: 3s fired within").isBetween(3L, 15L);

    // The webhook comes up: it gets the firing, the resolution and the lost host, in order.
    webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", webhookPort), 0);
    webhook.createContext(
        "/hook",
        exchange -> {
          webhookBodies.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    webhook.start();
    await().atMost(PATIENCE).until(() -> webhookBodies.size() >= 3);
    assertThat(webhookBodies.get(0))
        .contains("\"status\":\"firing\"")
        .contains("\"alertname\":\"HostCpuSaturated\"")
        .contains("\"sequence\":1");
    assertThat(webhookBodies.get(1))
        .contains("\"status\":\"resolved\"")
        .contains("\"alertname\":\"HostCpuSaturated\"");
    assertThat(webhookBodies.get(2))
        .contains("\"status\":\"firing\"")
        .contains("\"alertname\":\"HostLost\"")
        .contains("\"host\":\"doomed\"");

    // And the collector says how it went.
    String api = get(fleet.apiUrl() + "/api/v1/alerts").body();
    assertThat(api).contains("\"firing\": 1").contains("\"kind\": \"webhook\"");
    String metrics = get(fleet.apiUrl() + "/metrics").body();
    assertThat(metrics)
        .contains("vigia_alerts{alertname=\"HostLost\",alertstate=\"firing\",host=\"doomed\"")
        .containsPattern("vigia_alert_notification_failures_total\\{kind=\"webhook\".*\\} [1-9]");
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
