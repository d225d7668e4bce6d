package io.vigia.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigia.agent.SamplingChoice;
import io.vigia.agent.sampling.MetricFamily;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Only arguments that fail validation or print help: a valid command line would start an agent. */
class AgentCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = AgentCommand.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void intervalBelowOneSecondIsAUsageError() {
    assertThat(run("--interval", "500ms")).isEqualTo(2);
    assertThat(err.toString()).contains("--interval").contains("at least 1s");
  }

  @Test
  void intervalAboveOneHourIsAUsageErrorNotACrash() {
    assertThat(run("--interval", "30d")).isEqualTo(2);
    assertThat(err.toString()).contains("--interval must be at most 1h, not 720h");
  }

  @Test
  void collectorThatIsNotHostAndPortIsAUsageErrorNamingTheValue() {
    assertThat(run("--collector", "nonsense")).isEqualTo(2);
    assertThat(err.toString()).contains("'nonsense'").contains("HOST:PORT");
  }

  @Test
  void collectorPortOutOfRangeIsAUsageErrorNamingThePort() {
    assertThat(run("--collector", "monitor.example.org:70700")).isEqualTo(2);
    assertThat(err.toString()).contains("'70700'").contains("1-65535");
  }

  @Test
  void intervalThatIsNotADurationIsAUsageErrorNamingTheValue() {
    assertThat(run("--interval", "abc")).isEqualTo(2);
    assertThat(err.toString()).contains("'abc'").contains("--interval");
  }

  @Test
  void overlongIdIsAUsageError() {
    assertThat(run("--interval", "5s", "--id", "x".repeat(129))).isEqualTo(2);
    assertThat(err.toString()).contains("--id must be 1 to 128 characters");
  }

  @Test
  void theSpoolDirectoryIsSystemdsStateDirectoryElseTheUsersElseNone() {
    assertThat(AgentCommand.spoolDirectory("auto", Map.of("STATE_DIRECTORY", "/var/lib/a:/x")))
        .isEqualTo(Path.of("/var/lib/a/spool"));
    assertThat(AgentCommand.spoolDirectory("auto", Map.of("XDG_STATE_HOME", "/home/u/.st")))
        .isEqualTo(Path.of("/home/u/.st/vigia-agent/spool"));
    assertThat(AgentCommand.spoolDirectory("auto", Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".local/state/vigia-agent/spool"));
    assertThat(AgentCommand.spoolDirectory("/srv/spool", Map.of("STATE_DIRECTORY", "/var/lib/a")))
        .isEqualTo(Path.of("/srv/spool"));
    assertThat(AgentCommand.spoolDirectory("none", Map.of())).isNull();
  }

  @Test
  void aSpoolSyncOutOfRangeIsAUsageError() {
    assertThat(run("--spool-sync", "20m")).isEqualTo(2);
    assertThat(err.toString()).contains("--spool-sync must be within 100ms..10m");
  }

  @Test
  void usageErrorIsFollowedByTheUsageHelp() {
    run("--interval", "abc");

    assertThat(err.toString()).contains("Usage: vigia-agent");
  }

  @Test
  void helpExitsZeroAndDescribesCollectorAndInterval() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("--collector").contains("--interval").contains("--id");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void helpShowsTheDefaults() {
    assumeTrue(System.getenv("VIGIA_COLLECTOR") == null && System.getenv("VIGIA_INTERVAL") == null);

    run("--help");

    // Without blanks: the help is wrapped to the terminal, possibly inside a value.
    assertThat(out.toString().replaceAll("\\s+", ""))
        .contains("(default:5s)")
        .contains("(default:127.0.0.1:7070)");
  }

  @Test
  void versionExitsZeroAndNamesTheProgram() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("vigia-agent ");
  }

  @Test
  void anUnknownMetricFamilyIsAUsageErrorListingTheChoices() {
    assertThat(run("--metrics", "cpu,gpu")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--metrics: unknown metric family 'gpu'; choose from cpu, memory, disk, net");
  }

  @Test
  void aBlankInterfacePatternIsAUsageErrorNamingTheOption() {
    assertThat(run("--interfaces-exclude", " ")).isEqualTo(2);
    assertThat(err.toString())
        .contains("--interfaces-include/--interfaces-exclude")
        .contains("blank");
  }

  @Test
  void metricsAndPatternsBecomeTheSamplingChoice() {
    CommandLine cmd = AgentCommand.commandLine();
    cmd.parseArgs(
        "--metrics", "net, disk", "--interfaces-include", "eth*,lo", "--mounts-exclude", "/snap/*");
    AgentCommand command = cmd.getCommand();

    SamplingChoice choice = command.samplingChoice();

    assertThat(choice.families()).containsExactlyInAnyOrder(MetricFamily.NET, MetricFamily.DISK);
    assertThat(choice.interfaces().accepts("lo", true)).isTrue();
    assertThat(choice.interfaces().accepts("wlan0", false)).isFalse();
    assertThat(choice.mounts().accepts("/snap/core", false)).isFalse();
    assertThat(choice.mounts().accepts("/", false)).isTrue();
  }

  @Test
  void byDefaultEveryFamilyIsSampled() {
    CommandLine cmd = AgentCommand.commandLine();
    cmd.parseArgs();
    AgentCommand command = cmd.getCommand();

    assertThat(command.samplingChoice().families())
        .containsExactlyInAnyOrder(MetricFamily.values());
  }
}
