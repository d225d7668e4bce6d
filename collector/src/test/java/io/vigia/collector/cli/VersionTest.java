package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --version} answers on every command, subcommands included. */
class VersionTest {

  private static String version(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    assertThat(cli.execute(args)).isZero();
    return out.toString();
  }

  @Test
  void everyVigiaSubcommandPrintsTheVersion() {
    for (String sub : VigiaCommand.commandLine().getSubcommands().keySet()) {
      if (sub.equals("help")) {
        continue; // picocli's "help" takes the name of a command, not options
      }
      assertThat(version(VigiaCommand.commandLine(), sub, "--version"))
          .as("vigia %s --version", sub)
          .startsWith("vigia ");
    }
  }

  @Test
  void vigiaAgentsPrintsTheVersion() {
    assertThat(version(VigiaCommand.commandLine(), "agents", "--version")).startsWith("vigia ");
  }

  @Test
  void theCollectorPrintsItsVersion() {
    assertThat(version(CollectorCommand.commandLine(), "--version")).startsWith("vigia-collector ");
  }
}
