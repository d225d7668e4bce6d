package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.vigia.agent.Agent;
import io.vigia.collector.alert.AlertSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time from a sample that crosses a threshold (a rule with {@code for: 0s}) to the webhook's
 * request, measured end to end: from the moment the agent is told to take the sample, through its
 * link, the store, the alert thread and the webhook's thread, to the receiver's handler. 200
 * crossings (100 firing, 100 resolving); the figures go to {@code target/alert-latency.txt}.
 */
class AlertLatencyTest {

  private static final int CROSSINGS = 200;

  @TempDir Path tmp;

  @Test
  void aCrossingSampleReachesTheWebhookWithinASecondAtP99() throws Exception {
    AtomicLong received = new AtomicLong();
    AtomicLong receivedAt = new AtomicLong();
    HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/hook",
        exchange -> {
          receivedAt.set(System.nanoTime());
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
          received.incrementAndGet();
        });
    webhook.start();
    Path rules = tmp.resolve("rules.yml");
    Files.writeString(
        rules,
        "groups:\n  - name: t\n    rules:\n      - alert: HostCpuSaturated\n        for: 0s\n");
    List<Long> micros = new ArrayList<>();
    try (Fleet fleet =
        Fleet.withCollector(
            Fleet.config()
                .alerts(
                    new AlertSettings(
                        true,
                        rules,
                        List.of(),
                        List.of(
                            URI.create(
                                "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook")),
                        AlertSettings.DEFAULT_RESEND,
                        AlertSettings.DEFAULT_QUEUE,
                        AlertSettings.DEFAULT_WEBHOOK_QUEUE,
                        AlertSettings.DEFAULT.tick())))) {
      BusyCpu cpu = new BusyCpu();
      Agent agent = BusyCpu.agent(fleet, "hot", cpu);
      try {
        for (int i = 0; i < CROSSINGS; i++) {
          cpu.busy.set(i % 2 == 0 ? 970 : 50); // fires, then resolves
          long before = received.get();
          long start = System.nanoTime();
          agent.sampleNow();
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(1))
              .until(() -> received.get() > before);
          micros.add((receivedAt.get() - start) / 1000);
        }
      } finally {
        agent.close();
      }
    } finally {
      webhook.stop(0);
    }
    Collections.sort(micros);
    long p50 = micros.get(micros.size() / 2);
    long p99 = micros.get((int) Math.ceil(micros.size() * 0.99) - 1);
    long max = micros.get(micros.size() - 1);
    String report =
        String.format(
            "sample -> webhook, %d crossings (for: 0s), ms: p50 %.1f, p99 %.1f, max %.1f%n",
            micros.size(), p50 / 1000.0, p99 / 1000.0, max / 1000.0);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target", "alert-latency.txt"), report);
    System.out.print(report);
    assertThat(p99).as("p99 in µs").isLessThan(1_000_000);
  }
}
