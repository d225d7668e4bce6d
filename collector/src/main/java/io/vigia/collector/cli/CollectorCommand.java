package io.vigia.collector.cli;

import io.netty.handler.ssl.SslContext;
import io.vigia.codec.StopSignal;
import io.vigia.codec.config.ConfigOptions;
import io.vigia.codec.config.DaemonCommandLine;
import io.vigia.codec.config.LayeredDefaults;
import io.vigia.codec.config.TokenFile;
import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfig;
import io.vigia.collector.CollectorConfigBuilder;
import io.vigia.collector.alert.AlertStatesException;
import io.vigia.collector.http.HttpLimits;
import io.vigia.collector.ingest.AgentTls;
import io.vigia.collector.ingest.LinkGuards;
import io.vigia.collector.store.Store;
import io.vigia.collector.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vigia-collector}: accepts agents, keeps their history, serves the API. */
@Command(
    name = "vigia-collector",
    mixinStandardHelpOptions = true,
    versionProvider = CollectorCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Accepts Vigia agents on one TCP port, keeps every host and its samples, and serves them"
          + " as JSON on the HTTP port. Every sample is written to a log in the data directory"
          + " (--data-dir) before the agent is told it is stored, so a crash, a restart or a"
          + " power cut loses nothing acknowledged.",
      "Stops cleanly on Ctrl-C or SIGTERM (exit code 0)."
    },
    footer = {
      "",
      "Every option can also be set in /etc/vigia/collector.conf (history=720) or in the"
          + " environment (VIGIA_HISTORY=720). Flags win over the environment, which wins over the"
          + " file.",
      "Example: vigia-collector --listen 0.0.0.0:7070 --http 127.0.0.1:7071 --history 720"
    })
public final class CollectorCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(CollectorCommand.class);

  /** Read when it exists and neither --config nor VIGIA_CONFIG names another file. */
  static final Path CONFIG_FILE = Path.of("/etc/vigia/collector.conf");

  @Spec CommandSpec spec;

  @Mixin ConfigOptions config;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "0.0.0.0:7070",
      converter = ListenAddressConverter.class,
      description = "Where agents connect (default: ${DEFAULT-VALUE}).")
  InetSocketAddress listen;

  @Option(
      names = "--http",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:7071",
      converter = ListenAddressConverter.class,
      description = "Where the JSON API listens (default: ${DEFAULT-VALUE}).")
  InetSocketAddress http;

  @Option(
      names = "--history",
      paramLabel = "SAMPLES",
      defaultValue = "" + CollectorConfig.DEFAULT_HISTORY,
      description = "Samples kept per host; the oldest go first (default: ${DEFAULT-VALUE}).")
  int history;

  @Option(
      names = "--hello-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "A new link must introduce itself within this time (default: ${DEFAULT-VALUE}).")
  Duration helloTimeout;

  @Option(
      names = "--idle-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "A link silent this long is closed and its host marked LOST (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Mixin StoreOptions store;

  @Mixin RemoteWriteOptions remoteWrite;

  @Mixin InputOptions input;
  @Mixin AlertOptions alerts;

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description =
          "Accept only agents whose Hello carries the token in this file (one line; the same file"
              + " as the agents' --token-file). Unset: any agent is accepted.")
  Path tokenFile;

  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "Speak TLS on the agent port with this certificate (PEM), naming the host the agents"
              + " connect to; with --tls-key. Unset: plain TCP.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "FILE",
      description = "The private key of --tls-cert (PEM, PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description =
          "Mutual TLS: accept only agents with a certificate signed by the CA in this PEM file.")
  Path tlsClientCa;

  @Option(
      names = "--http-token-file",
      paramLabel = "FILE",
      description =
          "Require the token in this file on every HTTP request: 'Authorization: Bearer TOKEN'"
              + " (API, /metrics), or the cookie the dashboard's sign-in sets. Unset: no"
              + " authentication.")
  Path httpTokenFile;

  @Option(
      names = "--max-frame-bytes",
      paramLabel = "BYTES",
      defaultValue = "" + CollectorConfig.DEFAULT_MAX_FRAME_BYTES,
      description =
          "Largest frame an agent may send; a larger length closes its link before anything of"
              + " that size is read (default: ${DEFAULT-VALUE}).")
  int maxFrameBytes;

  @Option(
      names = "--max-links",
      paramLabel = "N",
      defaultValue = "" + LinkGuards.DEFAULT_MAX_LINKS,
      description = "Agent links open at once, in total (default: ${DEFAULT-VALUE}).")
  int maxLinks;

  @Option(
      names = "--max-links-per-address",
      paramLabel = "N",
      defaultValue = "" + LinkGuards.DEFAULT_MAX_LINKS_PER_ADDRESS,
      description =
          "Agent links open at once from one IP address; raise it for many agents behind one NAT"
              + " (default: ${DEFAULT-VALUE}).")
  int maxLinksPerAddress;

  @Option(
      names = "--max-snapshot-rate",
      paramLabel = "PER_SECOND",
      defaultValue = "10",
      description =
          "Snapshots a second one link may keep up; faster, it is closed (default:"
              + " ${DEFAULT-VALUE}).")
  double maxSnapshotRate;

  @Option(
      names = "--snapshot-burst",
      paramLabel = "N",
      defaultValue = "" + LinkGuards.DEFAULT_SNAPSHOT_BURST,
      description =
          "Snapshots one link may send at once above that rate, such as an agent's replay after"
              + " an outage (default: ${DEFAULT-VALUE}).")
  int snapshotBurst;

  @Option(
      names = "--max-cores",
      paramLabel = "N",
      defaultValue = "" + LinkGuards.MAX_CORES,
      description =
          "Cores an agent may report, 1 to ${DEFAULT-VALUE}; more closes its link (default:"
              + " ${DEFAULT-VALUE}).")
  int maxCores;

  @Option(
      names = "--max-devices",
      paramLabel = "N",
      defaultValue = "" + LinkGuards.MAX_DEVICES,
      description =
          "File systems, disks or network interfaces of each kind in one snapshot, 0 to"
              + " ${DEFAULT-VALUE}; more closes the link (default: ${DEFAULT-VALUE}).")
  int maxDevices;

  @Option(
      names = "--max-text-length",
      paramLabel = "N",
      defaultValue = "" + LinkGuards.MAX_TEXT_LENGTH,
      description =
          "Characters in an agent's host name, OS and version, 1 to ${DEFAULT-VALUE}; longer"
              + " closes its link (default: ${DEFAULT-VALUE}).")
  int maxTextLength;

  @Option(
      names = "--max-http-request-bytes",
      paramLabel = "BYTES",
      defaultValue = "" + HttpLimits.DEFAULT_MAX_REQUEST_BYTES,
      description =
          "An HTTP request larger than this is refused with 413 (default: ${DEFAULT-VALUE}).")
  int maxHttpRequestBytes;

  @Option(
      names = "--max-query-samples",
      paramLabel = "SAMPLES",
      defaultValue = "" + HttpLimits.DEFAULT_MAX_QUERY_SAMPLES,
      description =
          "The most samples one history request returns; a larger ?last= is refused with 400"
              + " (default: ${DEFAULT-VALUE}).")
  int maxQuerySamples;

  @Override
  public Integer call() throws InterruptedException {
    config.logLevel().apply();
    CollectorConfigBuilder settings = settings();
    checked(settings); // the values, before --print-config shows them
    remoteWrite.readFiles(settings, spec.commandLine());
    alerts.checkRules(spec.commandLine());
    if (config.printConfig()) {
      LayeredDefaults.of(spec).printEffective(spec.commandLine().getOut());
      return 0;
    }
    try {
      settings
          .agentToken(token("--token-file", tokenFile))
          .httpToken(token("--http-token-file", httpTokenFile))
          .agentTls(agentTls());
    } catch (IOException e) {
      spec.commandLine().getErr().println("vigia-collector: " + e.getMessage());
      return 2;
    }
    CollectorConfig collectorConfig = checked(settings);
    StopSignal stop = StopSignal.install();
    Collector collector;
    try {
      collector = Collector.start(collectorConfig, InstantSource.system());
    } catch (UncheckedIOException e) {
      spec.commandLine().getErr().println("vigia-collector: " + e.getCause().getMessage());
      if (e.getCause() instanceof Store.DataDirectoryException
          || e.getCause() instanceof AlertStatesException) {
        return 2; // the message says what to do; restarting would only repeat it
      }
      spec.commandLine()
          .getErr()
          .println("Is another collector running? Choose other ports with --listen and --http.");
      return 1;
    }
    try (collector) {
      logStarted(collector, collectorConfig);
      StopSignal.onHangup(collector.alerting()::reload);
      stop.await();
      log.info("Stopping");
    }
    return 0;
  }

  /** The options as they are; files are read later. */
  private CollectorConfigBuilder settings() {
    StoreConfig storeConfig;
    try {
      storeConfig = store.config();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    CollectorConfigBuilder settings =
        CollectorConfig.builder()
            .listen(listen)
            .http(http)
            .history(history)
            .helloTimeout(helloTimeout)
            .idleTimeout(idleTimeout)
            .maxFrameBytes(maxFrameBytes)
            .maxLinks(maxLinks)
            .maxLinksPerAddress(maxLinksPerAddress)
            .maxSnapshotRate(maxSnapshotRate)
            .snapshotBurst(snapshotBurst)
            .maxCores(maxCores)
            .maxDevices(maxDevices)
            .maxTextLength(maxTextLength)
            .maxHttpRequestBytes(maxHttpRequestBytes)
            .maxQuerySamples(maxQuerySamples)
            .store(storeConfig);
    return input.applyTo(alerts.applyTo(remoteWrite.applyTo(settings), spec.commandLine()));
  }

  private CollectorConfig checked(CollectorConfigBuilder settings) {
    try {
      return settings.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The token in {@code file}, or empty when the option is unset. */
  private static String token(String option, Path file) throws IOException {
    try {
      return file != null ? TokenFile.read(file) : "";
    } catch (IOException e) {
      throw new IOException(option + ": " + e.getMessage(), e);
    }
  }

  /** TLS on the agent port, or null for plain TCP. */
  private SslContext agentTls() throws IOException {
    if ((tlsCert == null) != (tlsKey == null) || (tlsClientCa != null && tlsCert == null)) {
      throw new ParameterException(
          spec.commandLine(),
          "TLS needs both --tls-cert and --tls-key; --tls-client-ca needs them too");
    }
    return tlsCert != null ? AgentTls.server(tlsCert, tlsKey, tlsClientCa) : null;
  }

  private void logStarted(Collector collector, CollectorConfig settings) {
    log.info(
        "Collector {} listening for agents on {} and HTTP on {} ({}); keeping {} samples per host"
            + " in memory, every sample {}",
        version(),
        hostAndPort(collector.ingestAddress()),
        hostAndPort(collector.httpAddress()),
        collector.transportName(),
        settings.history(),
        settings.store().inMemory()
            ? "in memory only (--in-memory): a restart loses them all, and the agents' pins"
                + " (every agent enrolls again)"
            : "in " + settings.store());
    log.info(
        "Alerts: {} rules in force{}{}",
        collector.alerting().ruleNames().size(),
        settings.alerts().rulesFile() != null ? " from " + settings.alerts().rulesFile() : "",
        settings.alerts().alertmanagers().isEmpty() && settings.alerts().webhooks().isEmpty()
            ? "; no receiver (--alertmanager, --alert-webhook): see GET /api/v1/alerts"
            : "; notifying " + settings.alerts().alertmanagers() + settings.alerts().webhooks());
    for (URI receiver : settings.remoteWrite()) {
      log.info(
          "Pushing samples to remote-write receiver {} (auth: {})",
          receiver,
          settings.remoteWriteAuth());
    }
    if (settings.agentTls() != null) {
      log.info(
          "Agents connect over TLS{}",
          tlsClientCa != null ? ", with a certificate signed by " + tlsClientCa : "");
    }
    if (settings.agentToken().isEmpty() && settings.agentTls() == null) {
      log.warn(
          "Agents connect over plain TCP without a token: anyone who reaches {} can report as"
              + " any host. Use only on a trusted network, or set --token-file or --tls-cert.",
          hostAndPort(collector.ingestAddress()));
    }
    if (settings.httpToken().isEmpty()
        && !collector.httpAddress().getAddress().isLoopbackAddress()) {
      log.warn(
          "The HTTP side on {} answers anyone who reaches it; set --http-token-file to require"
              + " a bearer token.",
          hostAndPort(collector.httpAddress()));
    }
  }

  private static String hostAndPort(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  static String version() {
    String version = CollectorCommand.class.getPackage().getImplementationVersion();
    return version != null ? version : "dev";
  }

  /**
   * The command line with the daemons' converters and layered defaults; what {@link #main} runs.
   */
  public static CommandLine commandLine() {
    return DaemonCommandLine.create(new CollectorCommand(), CONFIG_FILE, Map.of());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"vigia-collector " + version()};
    }
  }
}
