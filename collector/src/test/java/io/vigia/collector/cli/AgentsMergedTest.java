package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfig;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code vigia agents} with several {@code --url}: the hosts of a sharded fleet in one list. */
class AgentsMergedTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private record Run(int exitCode, String out, String err) {}

  private static Run vigia(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = VigiaCommand.commandLine();
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

  private static String url(Collector collector) {
    return "http://127.0.0.1:" + collector.httpAddress().getPort();
  }

  private static void addHost(HostRegistry registry, String id, int busy) {
    registry.connect(1, new HostIdentity(id, id, "Linux", 1, "0.1.0", 7, 1000), "10.0.0.1:5000");
    registry.append(
        1,
        id,
        new StoredSample(
            7, 1, T0, 1000, new CpuFigures(busy, new int[] {busy}, 0, 0, 0, 0, 0, 0, 0, 0)));
  }

  @Test
  void listsTheHostsOfEveryCollectorWithTheirCollector() {
    try (Collector a = startCollector();
        Collector b = startCollector()) {
      addHost(a.registry(), "web-2", 100);
      addHost(a.registry(), "db-1", 200);
      addHost(b.registry(), "web-1", 300);

      Run run = vigia("agents", "--url", url(a), "--url", url(b));

      assertThat(run.exitCode()).isZero();
      assertThat(run.err()).isEmpty();
      List<String> lines = run.out().lines().toList();
      assertThat(lines).hasSize(4);
      assertThat(lines.get(0)).startsWith("ID").endsWith("LAST SEEN  COLLECTOR");
      assertThat(lines.get(1)).startsWith("db-1 ").contains("20.0%").endsWith(url(a));
      assertThat(lines.get(2)).startsWith("web-1 ").contains("30.0%").endsWith(url(b));
      assertThat(lines.get(3)).startsWith("web-2 ").contains("10.0%").endsWith(url(a));
    }
  }

  @Test
  void jsonGivesEachAgentItsCollector() {
    try (Collector a = startCollector();
        Collector b = startCollector()) {
      addHost(a.registry(), "web-1", 100);
      addHost(b.registry(), "web-1", 300); // failed over: both collectors know it

      Run run = vigia("agents", "--json", "--url", url(a), "--url", url(b));

      assertThat(run.exitCode()).isZero();
      JsonArray agents = JsonParser.parseString(run.out()).getAsJsonArray();
      assertThat(agents).hasSize(2);
      JsonObject first = agents.get(0).getAsJsonObject();
      assertThat(first.get("collector").getAsString()).isEqualTo(url(a));
      assertThat(first.get("id").getAsString()).isEqualTo("web-1");
      assertThat(first.get("cpuPercent").getAsDouble()).isEqualTo(10.0);
      assertThat(agents.get(1).getAsJsonObject().get("collector").getAsString()).isEqualTo(url(b));
    }
  }

  @Test
  void anUnreachableCollectorIsNamedAndTheOthersStillListed() throws IOException {
    int dead;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      dead = socket.getLocalPort();
    }
    try (Collector a = startCollector()) {
      addHost(a.registry(), "web-1", 100);

      Run run = vigia("agents", "--url", url(a), "--url", "http://127.0.0.1:" + dead);

      assertThat(run.exitCode()).isEqualTo(2);
      assertThat(run.out()).contains("web-1").contains(url(a));
      assertThat(run.err().lines())
          .singleElement()
          .satisfies(
              line ->
                  assertThat(line)
                      .startsWith("vigia: cannot reach the collector at http://127.0.0.1:" + dead));
    }
  }

  @Test
  void noAgentsAnywhereSaysSo() {
    try (Collector a = startCollector();
        Collector b = startCollector()) {
      Run run = vigia("agents", "--url", url(a), "--url", url(b));

      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo("No agents have connected to these collectors yet.\n");
    }
  }
}
