package io.vigia.codec.config;

import io.vigia.codec.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;

/**
 * The command line of a Vigia daemon: durations read the way operators write them ({@code 5s},
 * {@code 2m}) and defaults layered from the environment and the configuration file, the same for
 * the agent and the collector.
 *
 * <pre>{@code
 * CommandLine cli = DaemonCommandLine.create(new AgentCommand(), Path.of("/etc/vigia/agent.conf"),
 *     Map.of("id", "VIGIA_AGENT_ID"));
 * System.exit(cli.execute(args));
 * }</pre>
 */
public final class DaemonCommandLine {

  private DaemonCommandLine() {}

  /**
   * @param defaultFile the daemon's configuration file, read when it exists
   * @param envNames environment variables of options not named {@code VIGIA_<OPTION>}, by key
   */
  public static CommandLine create(Object command, Path defaultFile, Map<String, String> envNames) {
    CommandLine cli =
        new CommandLine(command).registerConverter(Duration.class, DaemonCommandLine::duration);
    LayeredDefaults.install(cli, defaultFile, envNames);
    return cli;
  }

  private static Duration duration(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
