package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus rules shipped in {@code scripts/prometheus/vigia-alerts.yml}, as promtool judges
 * them: {@code check rules}, and {@code test rules} with the cases of {@code
 * vigia-alerts.test.yml}.
 */
class PrometheusRulesTest {

  @TempDir Path tmp;

  @Test
  void promtoolChecksTheShippedRules() throws Exception {
    assertThat(promtool("check", "rules", "vigia-alerts.yml")).contains("SUCCESS: 11 rules found");
  }

  @Test
  void promtoolTestsOfTheShippedRulesPass() throws Exception {
    assertThat(promtool("test", "rules", "vigia-alerts.test.yml")).contains("SUCCESS");
  }

  private String promtool(String... args) throws Exception {
    Path promtool = ExternalTool.require("promtool", "prometheus");
    Path dir = ExternalTool.checkout().resolve("scripts/prometheus");
    String[] command = new String[args.length + 1];
    command[0] = promtool.toString();
    System.arraycopy(args, 0, command, 1, args.length);
    Path report = tmp.resolve("promtool.txt");
    Process process =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(report.toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    String output = Files.readString(report);
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
