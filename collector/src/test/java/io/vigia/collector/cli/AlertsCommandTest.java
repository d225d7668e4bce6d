package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfig;
import io.vigia.collector.alert.AlertSettings;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.StoredSample;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AlertsCommandTest {

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  private Collector collector() throws Exception {
    Path rules = dir.resolve("rules.yml");
    Files.writeString(
        rules,
        "groups:\n  - name: t\n    rules:\n      - alert: HostCpuSaturated\n        for: 0s\n");
    return Collector.start(
        CollectorConfig.builder()
            .listen(new InetSocketAddress("127.0.0.1", 0))
            .http(new InetSocketAddress("127.0.0.1", 0))
            .alerts(AlertSettings.DEFAULT.withRulesFile(rules))
            .build(),
        InstantSource.system());
  }

  @Test
  void noAlertFiringIsExitCodeZero() throws Exception {
    try (Collector collector = collector()) {
      Run run =
          run(
              VigiaCommand.commandLine(),
              "alerts",
              "--url",
              "http://127.0.0.1:" + collector.httpAddress().getPort());
      assertThat(run.exitCode()).isZero();
      assertThat(run.out()).isEqualTo("No alerts (12 rules in force)\n");
    }
  }

  @Test
  void aFiringAlertIsListedInEightyColumnsAndExitCodeOne() throws Exception {
    try (Collector collector = collector()) {
      collector
          .registry()
          .connect(
              1, new HostIdentity("web-1", "web-1.example.org", "Linux", 1, "t", 7, 1000), "x");
      collector
          .registry()
          .append(
              1,
              "web-1",
              new StoredSample(
                  7,
                  1,
                  Instant.now(),
                  1000,
                  new CpuFigures(972, new int[] {972}, 972, 0, 0, 0, 0, 0, 0, 28)));
      await().atMost(Duration.ofSeconds(10)).until(() -> !collector.alerting().alerts().isEmpty());
      String url = "http://127.0.0.1:" + collector.httpAddress().getPort();

      Run table = run(VigiaCommand.commandLine(), "alerts", "--url", url);
      assertThat(table.exitCode()).isEqualTo(1);
      assertThat(table.out())
          .startsWith(
              "STATE     SEV   ALERT                       HOST                        SINCE\n"
                  + "FIRING    warn  HostCpuSaturated            web-1                       ")
          .contains("\n  web-1.example.org: CPU 97.2% busy\n")
          .endsWith("1 firing, 0 pending\n");
      assertThat(table.out().lines())
          .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));

      Run json = run(VigiaCommand.commandLine(), "alerts", "--url", url, "--json");
      assertThat(json.exitCode()).isEqualTo(1);
      assertThat(json.out()).contains("\"state\": \"FIRING\"").contains("\"firing\": 1");
    }
  }

  @Test
  void aRulesFileWithAFaultStopsTheCollectorWithFileLineAndExitCodeTwo() throws Exception {
    Path rules = dir.resolve("bad.yml");
    Files.writeString(
        rules,
        "groups:\n  - name: t\n    rules:\n      - alert: X\n        expr: vigia_host_load1 >> 2\n");
    Run run = run(CollectorCommand.commandLine(), "--in-memory", "--alert-rules", rules.toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--alert-rules: " + rules + " line 5: expr: expected a number as the threshold");
  }
}
