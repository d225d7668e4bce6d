package io.vigia.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code scripts/conf/agent.conf}, the commented file the install script puts in /etc/vigia: it
 * loads, names every option, and shows each one's real default.
 */
class ExampleConfigTest {

  private static final Path EXAMPLE = Path.of("../scripts/conf/agent.conf");
  private static final Pattern COMMENTED = Pattern.compile("(?m)^#([a-z-]+)=(.*)$");
  private static final Pattern PRINTED = Pattern.compile("(?m)^([a-z-]+)=(\\S*) +# (.*)$");

  private static Map<String, String> settings(Pattern pattern, String text) {
    Map<String, String> found = new LinkedHashMap<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      found.put(m.group(1), m.group(2));
    }
    return found;
  }

  @Test
  void theExampleNamesEveryOptionWithItsDefault() throws IOException {
    assumeTrue(
        System.getenv().keySet().stream().noneMatch(name -> name.startsWith("VIGIA_")),
        "VIGIA_ variables in the environment would change the defaults shown");
    StringWriter out = new StringWriter();
    CommandLine cli = AgentCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));

    int exitCode = cli.execute("--config", EXAMPLE.toString(), "--print-config");

    assertThat(exitCode).isZero();
    Map<String, String> effective = settings(PRINTED, out.toString());
    assertThat(out.toString()).doesNotContain("# flag").doesNotContain("# environment");
    assertThat(effective).isNotEmpty();
    assertThat(settings(COMMENTED, Files.readString(EXAMPLE)))
        .containsExactlyInAnyOrderEntriesOf(effective);
  }
}
