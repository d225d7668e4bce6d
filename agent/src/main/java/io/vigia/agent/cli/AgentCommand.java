package io.vigia.agent.cli;

import io.vigia.agent.Agent;
import io.vigia.agent.AgentConfig;
import io.vigia.codec.Durations;
import io.vigia.codec.StopSignal;
import io.vigia.codec.config.ConfigOptions;
import io.vigia.codec.config.LayeredDefaults;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vigia-agent}: samples this machine and pushes the samples to a collector. */
@Command(
    name = "vigia-agent",
    mixinStandardHelpOptions = true,
    versionProvider = AgentCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Samples this machine's CPU (every core and the whole machine) at a fixed interval and"
          + " pushes each sample to a Vigia collector over one persistent TCP connection.",
      "Keeps samples while the collector is unreachable and reconnects with backoff.",
      "Stops cleanly on Ctrl-C or SIGTERM (exit code 0)."
    },
    footer = {
      "",
      "Every option can also be set in /etc/vigia/agent.conf (interval=5s) or in the environment"
          + " (VIGIA_INTERVAL=5s; --id is VIGIA_AGENT_ID). Flags win over the environment, which"
          + " wins over the file.",
      "Example: vigia-agent --collector monitor.example.org:7070 --interval 5s"
    })
public final class AgentCommand implements Callable<Integer> {

  /** Read when it exists and neither --config nor VIGIA_CONFIG names another file. */
  static final Path CONFIG_FILE = Path.of("/etc/vigia/agent.conf");

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = "--collector",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:7070",
      converter = HostPortConverter.class,
      description = "The collector's agent port (default: ${DEFAULT-VALUE}).")
  InetSocketAddress collector;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "Time between samples, from 1s to 1h (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--id",
      paramLabel = "ID",
      description =
          "This agent's id, stable across restarts (default: the hostname and the start of"
              + " /etc/machine-id).")
  String id;

  @Override
  public Integer call() throws InterruptedException {
    config.logLevel().apply();
    if (interval.compareTo(Duration.ofHours(1)) > 0) {
      throw new ParameterException(
          spec.commandLine(), "--interval must be at most 1h, not " + Durations.format(interval));
    }
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--interval must be at least 1s (CPU counters are too coarse below that), not "
              + Durations.format(interval));
    }
    if (id != null && (id.isBlank() || id.length() > 128)) {
      throw new ParameterException(
          spec.commandLine(), "--id must be 1 to 128 characters, not '" + id + "'");
    }
    if (config.printConfig()) {
      LayeredDefaults.of(spec).printEffective(spec.commandLine().getOut());
      return 0;
    }
    AgentConfig settings = new AgentConfig(collector, interval, id, "");
    StopSignal stop = StopSignal.install();
    Agent agent = Agent.onThisHost(settings);
    try {
      stop.await();
    } finally {
      agent.close();
    }
    return 0;
  }

  /** The command line with this command's type converters; what {@link #main} runs. */
  public static CommandLine commandLine() {
    CommandLine cli =
        new CommandLine(new AgentCommand())
            .registerConverter(Duration.class, AgentCommand::duration);
    LayeredDefaults.install(cli, CONFIG_FILE, Map.of("id", "VIGIA_AGENT_ID"));
    return cli;
  }

  private static Duration duration(String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"vigia-agent " + Agent.version()};
    }
  }
}
