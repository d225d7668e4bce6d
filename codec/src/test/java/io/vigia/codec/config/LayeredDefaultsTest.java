package io.vigia.codec.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

class LayeredDefaultsTest {

  @Command(name = "demo", mixinStandardHelpOptions = true)
  static final class Demo implements Callable<Integer> {
    @Spec CommandLine.Model.CommandSpec spec;
    @Mixin ConfigOptions config;

    @Option(names = "--port", defaultValue = "7070")
    int port;

    @Option(names = "--name", defaultValue = "plain")
    String name;

    @Option(names = "--agent-id")
    String agentId;

    @Option(names = "--token", defaultValue = "")
    String token;

    @Override
    public Integer call() {
      if (port > 65535) {
        throw new ParameterException(spec.commandLine(), "--port must be at most 65535");
      }
      if (config.printConfig()) {
        LayeredDefaults.of(spec).printEffective(spec.commandLine().getOut());
      }
      return 0;
    }
  }

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private Demo demo;

  private int run(Map<String, String> env, String... args) {
    demo = new Demo();
    CommandLine cli = new CommandLine(demo);
    LayeredDefaults.install(cli, dir.resolve("default.conf"), env, Map.of("agent-id", "VIGIA_ID"));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private Path file(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), java.util.List.of(lines));
  }

  @Test
  void withNothingSetTheOptionsKeepTheirDefaults() {
    assertThat(run(Map.of())).isZero();
    assertThat(demo.port).isEqualTo(7070);
    assertThat(demo.name).isEqualTo("plain");
  }

  @Test
  void theDefaultFileIsReadWhenItExists() throws IOException {
    file("default.conf", "# a comment", "", "port = 9000");

    run(Map.of());

    assertThat(demo.port).isEqualTo(9000);
  }

  @Test
  void theEnvironmentWinsOverTheFileAndAFlagOverBoth() throws IOException {
    Path conf = file("demo.conf", "port=9000", "name=from-file");

    run(Map.of("VIGIA_PORT", "9100", "VIGIA_NAME", "from-env"), "--config", conf.toString());
    assertThat(demo.port).isEqualTo(9100);
    assertThat(demo.name).isEqualTo("from-env");

    run(Map.of("VIGIA_PORT", "9100"), "--config", conf.toString(), "--port", "9200");
    assertThat(demo.port).isEqualTo(9200);
    assertThat(demo.name).isEqualTo("from-file");
  }

  @Test
  void anOptionCanHaveAnEnvironmentVariableOfAnotherName() {
    run(Map.of("VIGIA_ID", "web-1", "VIGIA_AGENT_ID", "ignored"));

    assertThat(demo.agentId).isEqualTo("web-1");
  }

  @Test
  void vigiaConfigNamesTheFileWhenNoFlagDoes() throws IOException {
    Path conf = file("other.conf", "port=9300");
    file("default.conf", "port=9000");

    run(Map.of("VIGIA_CONFIG", conf.toString()));

    assertThat(demo.port).isEqualTo(9300);
  }

  @Test
  void aMissingFileNamedByFlagIsAUsageErrorNamingIt() {
    assertThat(run(Map.of(), "--config", dir.resolve("nope.conf").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--config: no such file: " + dir.resolve("nope.conf"));
  }

  @Test
  void anUnknownKeyIsAUsageErrorListingTheKnownOnes() throws IOException {
    Path conf = file("demo.conf", "port=9000", "colour=blue");

    assertThat(run(Map.of(), "--config", conf.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains(conf + " line 2: unknown option 'colour'; the options are: ")
        .contains("port, name, agent-id, token");
  }

  @Test
  void aLineThatIsNotKeyValueIsAUsageErrorNamingTheLine() throws IOException {
    Path conf = file("demo.conf", "port 9000");

    assertThat(run(Map.of(), "--config", conf.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(conf + " line 1: 'port 9000' is not key=value");
  }

  @Test
  void aKeySetTwiceIsAUsageError() throws IOException {
    Path conf = file("demo.conf", "port=1", "port=2");

    assertThat(run(Map.of(), "--config", conf.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(conf + " line 2: port is set already on line 1");
  }

  @Test
  void aBadValueFromTheFileNamesTheOptionTheValueAndTheLine() throws IOException {
    Path conf = file("demo.conf", "", "port=many");

    assertThat(run(Map.of(), "--config", conf.toString())).isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid value for option '--port': 'many' is not an int")
        .contains("(from port=many in " + conf + " line 2)");
  }

  @Test
  void aValueRefusedAfterParsingNamesTheEnvironmentVariableItCameFrom() {
    assertThat(run(Map.of("VIGIA_PORT", "70000"))).isEqualTo(2);
    assertThat(err.toString())
        .contains("--port must be at most 65535 (from environment VIGIA_PORT=70000)");
  }

  @Test
  void aBadFlagNamesNoOtherSource() {
    assertThat(run(Map.of("VIGIA_PORT", "1"), "--port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("--port must be at most 65535").doesNotContain("(from");
  }

  @Test
  void printConfigShowsEveryValueAndItsSourceWithSecretsMasked() throws IOException {
    Path conf = file("demo.conf", "name=from-file", "token=s3cret");

    assertThat(
            run(
                Map.of("VIGIA_PORT", "9100"),
                "--config",
                conf.toString(),
                "--print-config",
                "--log-level",
                "debug"))
        .isZero();

    assertThat(out.toString())
        .startsWith(
            "# demo: effective configuration (flags > environment > " + conf + " > defaults)\n")
        .containsPattern("port=9100 +# environment VIGIA_PORT=9100\n")
        .containsPattern("name=from-file +# name=from-file in " + conf + " line 1\n")
        .containsPattern("token=\\*{8} +# token=\\*{8} in " + conf + " line 2\n")
        .containsPattern("agent-id= +# default\n")
        .containsPattern("log-level=debug +# flag --log-level\n")
        .doesNotContain("s3cret")
        .doesNotContain("print-config=")
        .doesNotContain("config=" + conf);
  }

  @Test
  void aLogLevelIsReadInAnyCaseAndABadOneListsTheLevels() {
    run(Map.of("VIGIA_LOG_LEVEL", "warn"));
    assertThat(demo.config.logLevel()).isEqualTo(LogLevel.WARN);

    assertThat(run(Map.of(), "--log-level", "loud")).isEqualTo(2);
    assertThat(err.toString())
        .contains("'loud' is not a log level; use ERROR, WARN, INFO, DEBUG or TRACE");
  }
}
