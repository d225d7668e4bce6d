package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The collector's remote-write options: bad values stop it before it starts, saying which. */
class RemoteWriteOptionsTest {

  @TempDir Path dir;

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
  void aReceiverThatIsNotAnHttpUrlIsBadUsage() {
    Run run = collector("--remote-write", "prometheus:9090", "--print-config");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--remote-write: remote-write URL 'prometheus:9090' is not an http://");
  }

  @Test
  void credentialsInTheUrlAreRefusedWithoutRepeatingThem() {
    Run run = collector("--remote-write", "http://u:hunter2@p:9090/api/v1/write");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("carries credentials").doesNotContain("hunter2");
  }

  @Test
  void aMissingTokenFileIsBadUsageNamingIt() {
    Run run =
        collector(
            "--remote-write",
            "http://p:9090/api/v1/write",
            "--remote-write-bearer-token-file",
            dir.resolve("absent").toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("cannot read").contains("absent");
  }

  @Test
  void aQueueOfZeroIsBadUsage() {
    Run run = collector("--remote-write-queue", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .contains("--remote-write-queue must be within 1..10000000 samples, not 0");
  }

  @Test
  void severalReceiversAreListedInTheEffectiveConfiguration() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "abc\n");
    Run run =
        collector(
            "--remote-write",
            "http://a:9090/api/v1/write",
            "--remote-write",
            "https://b/api/v1/push",
            "--remote-write-bearer-token-file",
            token.toString(),
            "--print-config");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("remote-write=http://a:9090/api/v1/write,https://b/api/v1/push")
        .contains("remote-write-bearer-token-file=" + token)
        .doesNotContain("abc\n");
  }
}
