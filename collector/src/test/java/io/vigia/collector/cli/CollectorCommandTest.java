package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Only paths that stop before the collector starts: a started one waits for a signal. */
class CollectorCommandTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run collector(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = CollectorCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void aHistoryOfZeroIsBadUsageNamingTheOption() {
    Run run = collector("--history", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--history must be within 1..86400 samples, not 0");
  }

  @Test
  void aHistoryAboveADayAtOneSecondIsBadUsage() {
    Run run = collector("--history", "86401");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--history must be within 1..86400 samples, not 86401");
  }

  @Test
  void aListenAddressWithoutAPortIsBadUsage() {
    Run run = collector("--listen", "nonsense");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--listen").contains("'nonsense' is not HOST:PORT");
  }

  @Test
  void aZeroHelloTimeoutIsBadUsage() {
    Run run = collector("--hello-timeout", "0s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--hello-timeout must be positive");
  }

  @Test
  void aHelloTimeoutThatIsNotADurationIsBadUsage() {
    Run run = collector("--hello-timeout", "soon");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("'soon' is not a duration");
  }

  @Test
  void anIdleTimeoutUnderTwoSecondsIsBadUsage() {
    Run run = collector("--idle-timeout", "1s");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--idle-timeout must be at least 2s");
  }

  @Test
  void helpExitsZeroAndListsTheOptions() {
    Run run = collector("--help");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out())
        .contains("Usage: vigia-collector")
        .contains("--listen", "--http", "--history", "--hello-timeout", "--idle-timeout");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void versionExitsZeroAndNamesTheProgram() {
    Run run = collector("--version");

    assertThat(run.exitCode()).isEqualTo(0);
    assertThat(run.out()).startsWith("vigia-collector ");
  }

  @Test
  void anUnreadableTokenFileExitsTwoNamingIt() {
    Run run = collector("--token-file", "/nonexistent/vigia-token");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("vigia-collector: --token-file: ").contains("vigia-token");
  }

  @Test
  void aTlsKeyWithoutItsCertificateIsAUsageError() {
    Run run = collector("--tls-key", "/tmp/collector.key");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--tls-cert and --tls-key");
  }

  @Test
  void aRateThatIsNotPositiveIsAUsageError() {
    Run run = collector("--max-snapshot-rate", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--max-snapshot-rate must be a positive number");
  }

  @Test
  void aQueryLimitOutsideItsRangeIsBadUsage() {
    Run run = collector("--max-query-samples", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--max-query-samples must be within 1..86400, not 0");
  }

  @Test
  void anHttpRequestLimitBelowOneKibibyteIsBadUsage() {
    Run run = collector("--max-http-request-bytes", "100");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--max-http-request-bytes must be within 1024..16777216");
  }
}
