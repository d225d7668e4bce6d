package io.vigia.agent.cli;

import io.netty.handler.ssl.SslContext;
import io.vigia.agent.Agent;
import io.vigia.agent.AgentConfig;
import io.vigia.agent.SamplingChoice;
import io.vigia.agent.link.AgentCredentials;
import io.vigia.agent.link.CollectorTls;
import io.vigia.agent.link.SpoolOnDisk;
import io.vigia.agent.sampling.DeviceFilter;
import io.vigia.agent.sampling.MetricFamily;
import io.vigia.codec.Durations;
import io.vigia.codec.StopSignal;
import io.vigia.codec.config.ByteSizeConverter;
import io.vigia.codec.config.ConfigOptions;
import io.vigia.codec.config.DaemonCommandLine;
import io.vigia.codec.config.LayeredDefaults;
import io.vigia.codec.config.TokenFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
      "Samples this machine at a fixed interval (CPU, load, memory, file systems, disk I/O and"
          + " network traffic) and pushes each sample to a Vigia collector over one persistent TCP"
          + " connection.",
      "Keeps samples while the collector is unreachable and reconnects with backoff.",
      "Stops cleanly on Ctrl-C or SIGTERM (exit code 0)."
    },
    footer = {
      "",
      "Every option can also be set in /etc/vigia/agent.conf (interval=5s) or in the environment"
          + " (VIGIA_INTERVAL=5s, VIGIA_SPOOL_BYTES=16MiB; --id is VIGIA_AGENT_ID). Flags win over"
          + " the environment, which wins over the file.",
      "Patterns: * matches any run of characters (/ included), ? one character. Pseudo file"
          + " systems (proc, sysfs, tmpfs, overlay, cgroup, ...) and loopback are skipped unless an"
          + " include pattern names them; excludes win over includes.",
      "",
      "Example: vigia-agent --collector monitor.example.org:7070 --interval 5s",
      "         vigia-agent --metrics cpu,net --interfaces-include 'eth*,lo'",
      "         vigia-agent --mounts-exclude '/snap/*,/boot/efi'"
    })
public final class AgentCommand implements Callable<Integer> {

  /** Read when it exists and neither --config nor VIGIA_CONFIG names another file. */
  static final Path CONFIG_FILE = Path.of("/etc/vigia/agent.conf");

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = "--collector",
      paramLabel = "HOST:PORT",
      split = ",",
      defaultValue = "127.0.0.1:7070",
      converter = HostPortConverter.class,
      description =
          "The collector's agent port (default: ${DEFAULT-VALUE}). Give several, separated by"
              + " commas, to fail over: the first is the primary, the others are tried in order"
              + " when it is unreachable, and the agent returns to the primary when it is back.")
  List<InetSocketAddress> collectors;

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

  @Option(
      names = "--spool",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description =
          "While the collector is unreachable, keep this much sampling and send it when it is"
              + " back; beyond that the oldest samples are dropped and counted, up to 30d"
              + " (default: ${DEFAULT-VALUE}).")
  Duration spool;

  @Option(
      names = "--spool-bytes",
      paramLabel = "SIZE",
      defaultValue = "64MiB",
      converter = ByteSizeConverter.class,
      description =
          "And keep at most this many bytes of it on disk; a spool in memory keeps at most 8MiB"
              + " (default: ${DEFAULT-VALUE}).")
  long spoolBytes;

  @Option(
      names = "--spool-dir",
      paramLabel = "DIR",
      defaultValue = "auto",
      description =
          "Keep the spool in this directory, so that samples not yet acknowledged survive a"
              + " restart of the agent or of the machine; one agent per directory. auto:"
              + " $STATE_DIRECTORY/spool under systemd (StateDirectory=), else"
              + " $XDG_STATE_HOME/vigia-agent/spool or ~/.local/state/vigia-agent/spool. none: in"
              + " memory only (default: ${DEFAULT-VALUE}).")
  String spoolDir;

  @Option(
      names = "--credentials-file",
      paramLabel = "FILE",
      defaultValue = "auto",
      description =
          "Keep here the credential each collector issues to this agent at its first connection"
              + " (without client certificates): the collector accepts this agent's id only with"
              + " it from then on. auto: $STATE_DIRECTORY/credentials under systemd, else"
              + " $XDG_STATE_HOME/vigia-agent/credentials or"
              + " ~/.local/state/vigia-agent/credentials. none: in memory only, so a restart is"
              + " refused until 'vigia pins reset ID' (default: ${DEFAULT-VALUE}).")
  String credentialsFile;

  @Option(
      names = "--spool-sync",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description =
          "Every sample is written to the spool directory as it is taken (a crash of the agent"
              + " loses none); fsync it this often: what a power cut may lose, at most, from 100ms"
              + " to 10m (default: ${DEFAULT-VALUE}).")
  Duration spoolSync;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "Reconnect when the collector has been silent this long: it sends heartbeats on an"
              + " idle link, so silence means a dead or half-open connection"
              + " (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(
      names = "--primary-check",
      paramLabel = "DURATION",
      defaultValue = "1m",
      description =
          "With several --collector, how often the agent, while on a fallback, checks whether"
              + " the primary is back (default: ${DEFAULT-VALUE}).")
  Duration primaryCheck;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "The fleet token the collector requires, one line in this file; sent in the Hello,"
              + " never logged. Unset: no token.")
  Path tokenFile;

  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "Speak TLS to the collector and trust the CA in this PEM file; the collector's"
              + " certificate must name the host given in --collector. Unset: plain TCP.")
  Path tlsCa;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "This agent's certificate (PEM), for a collector that requires mutual TLS; with"
              + " --tls-key.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The private key of --tls-cert (PEM, PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--metrics",
      paramLabel = "FAMILY",
      split = ",",
      defaultValue = "cpu,memory,disk,net",
      description =
          "Metric families to sample, comma-separated: cpu (with load, processes, context"
              + " switches), memory (with swap), disk (file systems and block devices), net"
              + " (default: ${DEFAULT-VALUE}).")
  List<String> metrics;

  @Option(
      names = "--mounts-include",
      paramLabel = "GLOB",
      split = ",",
      description = "Report only the mount points matching these patterns (e.g. '/,/home*').")
  List<String> mountsInclude = new ArrayList<>();

  @Option(
      names = "--mounts-exclude",
      paramLabel = "GLOB",
      split = ",",
      description = "Never report the mount points matching these patterns (e.g. '/snap/*').")
  List<String> mountsExclude = new ArrayList<>();

  @Option(
      names = "--interfaces-include",
      paramLabel = "GLOB",
      split = ",",
      description = "Report only the network interfaces matching these patterns (e.g. 'eth*,lo').")
  List<String> interfacesInclude = new ArrayList<>();

  @Option(
      names = "--interfaces-exclude",
      paramLabel = "GLOB",
      split = ",",
      description = "Never report the network interfaces matching these patterns (e.g. 'veth*').")
  List<String> interfacesExclude = new ArrayList<>();

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
    if (spool.isNegative() || spool.compareTo(Duration.ofDays(30)) > 0) {
      throw new ParameterException(
          spec.commandLine(), "--spool must be within 0s..30d, not " + Durations.format(spool));
    }
    if (spoolSync.compareTo(Duration.ofMillis(100)) < 0
        || spoolSync.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--spool-sync must be within 100ms..10m, not " + Durations.format(spoolSync));
    }
    Path spoolDirectory = spoolDirectory(spoolDir, System.getenv());
    if (spoolDirectory != null && spoolBytes < (256 << 10)) {
      throw new ParameterException(
          spec.commandLine(),
          "--spool-bytes must be at least 256KiB with a --spool-dir, not " + spoolBytes);
    }
    if (spoolBytes < 1024 || spoolBytes > (1L << 30)) {
      throw new ParameterException(
          spec.commandLine(), "--spool-bytes must be within 1KiB..1GiB, not " + spoolBytes);
    }
    if (idleTimeout.compareTo(Duration.ofSeconds(3)) < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--idle-timeout must be at least 3s, not " + Durations.format(idleTimeout));
    }
    if (primaryCheck.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ParameterException(
          spec.commandLine(),
          "--primary-check must be at least 1s, not " + Durations.format(primaryCheck));
    }
    if (config.printConfig()) {
      LayeredDefaults.of(spec).printEffective(spec.commandLine().getOut());
      return 0;
    }
    String token = "";
    if (tokenFile != null) {
      try {
        token = TokenFile.read(tokenFile);
      } catch (IOException e) {
        spec.commandLine().getErr().println("vigia-agent: --token-file: " + e.getMessage());
        return 2;
      }
    }
    SslContext tls = null;
    if (tlsCa != null) {
      try {
        tls = CollectorTls.client(tlsCa, tlsCert, tlsKey);
      } catch (IOException e) {
        spec.commandLine().getErr().println("vigia-agent: " + e.getMessage());
        return 2;
      }
    } else if (tlsCert != null || tlsKey != null) {
      throw new ParameterException(
          spec.commandLine(), "--tls-cert and --tls-key need --tls-ca (the collector's CA)");
    }
    SamplingChoice choice = samplingChoice();
    AgentCredentials credentials;
    Path credentialsPath = stateFile(credentialsFile, "credentials", System.getenv());
    try {
      credentials =
          credentialsPath == null
              ? AgentCredentials.inMemory()
              : AgentCredentials.inFile(credentialsPath);
    } catch (IOException e) {
      spec.commandLine()
          .getErr()
          .println(
              "vigia-agent: --credentials-file: "
                  + e.getMessage()
                  + "; fix it, or remove it and run 'vigia pins reset ID' on the collector");
      return 2;
    }
    AgentConfig settings =
        AgentConfig.builder()
            .collectors(collectors)
            .interval(interval)
            .id(id)
            .token(token)
            .spoolSpan(spool)
            .spoolBytes(spoolBytes)
            .idleTimeout(idleTimeout)
            .primaryCheckEvery(primaryCheck)
            .tls(tls)
            .spoolOnDisk(
                spoolDirectory == null
                    ? null
                    : new SpoolOnDisk(spoolDirectory, spoolBytes, spool, spoolSync))
            .credentials(credentials)
            .build();
    StopSignal stop = StopSignal.install();
    Agent agent = Agent.onThisHost(settings, choice);
    try {
      stop.await();
    } finally {
      agent.close();
    }
    return 0;
  }

  /**
   * The spool directory {@code --spool-dir} names: null for none (memory only), else the directory
   * given, or for {@code auto} systemd's state directory, else the user's.
   */
  static Path spoolDirectory(String option, Map<String, String> env) {
    return stateFile(option, "spool", env);
  }

  /**
   * The file or directory an option of the agent's state names: null for {@code none} (memory
   * only), else the path given, or for {@code auto} {@code name} in systemd's state directory, else
   * in the user's.
   */
  static Path stateFile(String option, String name, Map<String, String> env) {
    if (option == null || option.isBlank() || option.equals("auto")) {
      String state = env.get("STATE_DIRECTORY");
      if (state != null && !state.isBlank()) {
        // systemd lists one directory per StateDirectory= entry, separated by colons.
        return Path.of(state.split(":")[0]).resolve(name);
      }
      String xdg = env.get("XDG_STATE_HOME");
      Path base =
          xdg != null && !xdg.isBlank()
              ? Path.of(xdg)
              : Path.of(System.getProperty("user.home"), ".local", "state");
      return base.resolve("vigia-agent").resolve(name);
    }
    if (option.equals("none")) {
      return null;
    }
    return Path.of(option);
  }

  SamplingChoice samplingChoice() {
    Set<MetricFamily> families = EnumSet.noneOf(MetricFamily.class);
    for (String label : metrics) {
      try {
        families.add(MetricFamily.parse(label));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--metrics: " + e.getMessage());
      }
    }
    if (families.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--metrics needs at least one of " + MetricFamily.labels());
    }
    return new SamplingChoice(
        families,
        filter("--mounts-include/--mounts-exclude", mountsInclude, mountsExclude),
        filter("--interfaces-include/--interfaces-exclude", interfacesInclude, interfacesExclude));
  }

  private DeviceFilter filter(String options, List<String> include, List<String> exclude) {
    try {
      return DeviceFilter.of(include, exclude);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), options + ": " + e.getMessage());
    }
  }

  /**
   * The command line with the daemons' converters and layered defaults; what {@link #main} runs.
   */
  public static CommandLine commandLine() {
    return DaemonCommandLine.create(
        new AgentCommand(), CONFIG_FILE, Map.of("id", "VIGIA_AGENT_ID"));
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
