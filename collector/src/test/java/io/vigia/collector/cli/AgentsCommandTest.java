package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfig;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AgentsCommandTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  /** What one run of {@code vigia ...} printed, and its exit code. */
  private record Run(int exitCode, String out, String err) {}

  private static Run vigia(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VigiaCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private static Collector startCollector() {
    return Collector.start(
        CollectorConfig.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .http(new InetSocketAddress("127.0.0.1", 0))
            .history(10)
            .build(),
        InstantSource.fixed(T0));
  }

  private static String url(InetSocketAddress address) {
    return "http://127.0.0.1:" + address.getPort();
  }

  /** A host web-1 with two samples, the newest 41.7 % busy. */
  private static void addWeb1(HostRegistry registry) {
    registry.connect(
        1,
        new HostIdentity("web-1", "web-1.example.org", "Linux", 2, "0.1.0", 77, 1000),
        "10.0.0.7:50412");
    registry.append(
        1,
        "web-1",
        new StoredSample(
            77, 1, T0, 1000, new CpuFigures(100, new int[] {100, 100}, 0, 0, 0, 0, 0, 0, 0, 900)));
    registry.append(
        1,
        "web-1",
        new StoredSample(
            77, 2, T0, 1000, new CpuFigures(417, new int[] {400, 434}, 0, 0, 0, 0, 0, 0, 0, 583)));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aCollectorWithAnHttpTokenAnswersOnlyWithTheToken(@TempDir Path dir) throws IOException {
    Path tokenFile = Files.writeString(dir.resolve("http-token"), "h77p-s3cr3t\n");
    try (Collector collector =
        Collector.start(
            CollectorConfig.builder()
                .listen(new InetSocketAddress("127.0.0.1", 0))
                .http(new InetSocketAddress("127.0.0.1", 0))
                .history(10)
                .httpToken("h77p-s3cr3t")
                .build(),
            InstantSource.fixed(T0))) {
      addWeb1(collector.registry());
      String url = url(collector.httpAddress());

      Run without = vigia("agents", "--url", url);
      Run with = vigia("agents", "--url", url, "--http-token-file", tokenFile.toString());

      assertThat(without.exitCode()).isEqualTo(1);
      assertThat(without.err()).contains("Authorization: Bearer").doesNotContain("h77p");
      assertThat(with.exitCode()).isZero();
      assertThat(with.out()).contains("web-1");
    }
  }

  @Test
  void anUnreachableCollectorExitsTwoWithOneHelpfulLine() throws IOException {
    int port = freePort();

    Run run = vigia("agents", "--url", "http://127.0.0.1:" + port);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line).startsWith("vigia: cannot reach the collector at http://127.0.0.1:");
              assertThat(line).contains("--url");
            });
    assertThat(run.err()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aUrlThatIsNotHttpExitsTwoAndSaysHowToWriteIt() {
    Run run = vigia("agents", "--url", "nonsense");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines())
        .singleElement()
        .satisfies(line -> assertThat(line).startsWith("vigia: --url 'nonsense'"));
  }

  @Test
  void theAgentPortInsteadOfTheHttpPortExitsTwoWithOneLine() {
    try (Collector collector = startCollector()) {
      Run run = vigia("agents", "--url", url(collector.ingestAddress()));

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.out()).isEmpty();
      assertThat(run.err().lines())
          .singleElement()
          .satisfies(
              line -> assertThat(line).startsWith("vigia: cannot talk to the collector at "));
    }
  }

  @Test
  void anErrorAnswerExitsOneWithTheCollectorsMessage() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body =
              "{\"error\":\"unavailable\",\"message\":\"the collector is starting\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(503, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    try {
      Run run = vigia("agents", "--url", url(server.getAddress()));

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).isEqualTo("vigia: the collector is starting\n");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void listsTheCollectorsHostsAsATable() {
    try (Collector collector = startCollector()) {
      addWeb1(collector.registry());

      Run run = vigia("agents", "--url", url(collector.httpAddress()));

      assertThat(run.exitCode()).isEqualTo(0);
      assertThat(run.err()).isEmpty();
      assertThat(run.out().lines().toList())
          .hasSize(2)
          .satisfies(
              lines -> {
                assertThat(lines.get(0))
                    .startsWith("ID")
                    .contains("HOSTNAME", "ADDRESS", "STATE", "CORES", "CPU", "LAST SEEN");
                assertThat(lines.get(1))
                    .matches(
                        "web-1 +web-1\\.example\\.org +10\\.0\\.0\\.7:50412 +CONNECTED +2 +41\\.7%"
                            + " +\\d+d ago");
              });
    }
  }

  @Test
  void saysSoWhenNoAgentHasConnected() {
    try (Collector collector = startCollector()) {
      Run run = vigia("agents", "--url", url(collector.httpAddress()));

      assertThat(run.exitCode()).isEqualTo(0);
      assertThat(run.out()).isEqualTo("No agents have connected to this collector yet.\n");
    }
  }

  @Test
  void jsonPrintsAnArrayOfAgents() {
    try (Collector collector = startCollector()) {
      addWeb1(collector.registry());

      Run run = vigia("agents", "--json", "--url", url(collector.httpAddress()) + "/");

      assertThat(run.exitCode()).isEqualTo(0);
      JsonArray agents = JsonParser.parseString(run.out()).getAsJsonArray();
      assertThat(agents).hasSize(1);
      JsonObject web = agents.get(0).getAsJsonObject();
      assertThat(web.keySet())
          .contains(
              "id", "hostname", "address", "state", "cores", "cpuPercent", "lastSeen", "samples");
      assertThat(web.get("id").getAsString()).isEqualTo("web-1");
      assertThat(web.get("hostname").getAsString()).isEqualTo("web-1.example.org");
      assertThat(web.get("address").getAsString()).isEqualTo("10.0.0.7:50412");
      assertThat(web.get("state").getAsString()).isEqualTo("CONNECTED");
      assertThat(web.get("cores").getAsInt()).isEqualTo(2);
      assertThat(web.get("cpuPercent").getAsDouble()).isEqualTo(41.7);
      assertThat(web.get("lastSeen").getAsString()).isEqualTo("2025-03-01T10:00:00Z");
      assertThat(web.get("samples").getAsInt()).isEqualTo(2);
    }
  }

  @Test
  void jsonOfAnEmptyCollectorIsAnEmptyArray() {
    try (Collector collector = startCollector()) {
      Run run = vigia("agents", "--json", "--url", url(collector.httpAddress()));

      assertThat(run.exitCode()).isEqualTo(0);
      JsonElement parsed = JsonParser.parseString(run.out());
      assertThat(parsed.isJsonArray()).isTrue();
      assertThat(parsed.getAsJsonArray()).isEmpty();
    }
  }

  @Test
  void vigiaWithoutACommandExitsTwo() {
    Run run = vigia();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("vigia agents");
  }
}
