package io.vigia.collector.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vigia}: the operator's commands against a running collector. */
@Command(
    name = "vigia",
    mixinStandardHelpOptions = true,
    versionProvider = VigiaCommand.Version.class,
    // Subcommands inherit --help, --version and the version itself.
    scope = CommandLine.ScopeType.INHERIT,
    description = "Looks at the hosts a Vigia collector watches.",
    subcommands = {
      AgentsCommand.class,
      ShowCommand.class,
      HistoryCommand.class,
      TopCommand.class,
      StoreCommand.class,
      PinsCommand.class,
      AlertsCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "",
      "Example: vigia agents --url http://monitor.example.org:7071",
      "         vigia show web-1",
      "         vigia history web-1 --last 10m --metric cpu",
      "         vigia top"
    })
public final class VigiaCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: try 'vigia agents' or 'vigia help'");
  }

  public static CommandLine commandLine() {
    return new CommandLine(new VigiaCommand());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"vigia " + CollectorCommand.version()};
    }
  }
}
