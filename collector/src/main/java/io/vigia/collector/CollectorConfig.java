package io.vigia.collector;

import io.netty.handler.ssl.SslContext;
import io.vigia.collector.alert.AlertSettings;
import io.vigia.collector.http.HttpLimits;
import io.vigia.collector.ingest.IngestChannelInitializer;
import io.vigia.collector.ingest.InputRules;
import io.vigia.collector.ingest.LinkGuards;
import io.vigia.collector.remotewrite.RemoteWriteSettings;
import io.vigia.collector.store.StoreConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a collector is told to do; immutable and validated. Every check of a value is here, and its
 * message names the {@code vigia-collector} option that sets the value, since that is where an
 * operator reads it. Reading the files that options name is the command's part.
 *
 * <pre>{@code
 * CollectorConfig config =
 *     CollectorConfig.builder()
 *         .listen(new InetSocketAddress("127.0.0.1", 0))
 *         .http(new InetSocketAddress("127.0.0.1", 0))
 *         .history(720)
 *         .build();
 * try (Collector collector = Collector.start(config, InstantSource.system())) { ... }
 * }</pre>
 *
 * <p>A new setting is a component, its check in the compact constructor, a builder field holding
 * its default in {@link CollectorConfigBuilder}, and the option of {@code CollectorCommand} that
 * sets it.
 *
 * @param listen the agent port
 * @param http the HTTP side (API, dashboard, {@code /metrics})
 * @param history samples kept per host
 * @param helloTimeout a new link must introduce itself within this time
 * @param idleTimeout a link silent this long is closed
 * @param heartbeatEvery the collector beats on a quiet link this often
 * @param maxFrameBytes the largest frame an agent may send
 * @param agentToken the fleet secret every {@code Hello} must carry; empty for none
 * @param maxLinks agent links open at once, in total
 * @param maxLinksPerAddress agent links open at once from one IP address
 * @param maxSnapshotRate snapshots a second one link may keep up
 * @param snapshotBurst snapshots one link may send at once above that rate
 * @param maxCores cores an agent may report
 * @param maxDevices file systems, disks or network interfaces of each kind in one snapshot
 * @param maxTextLength characters in an agent's host name, OS and version
 * @param agentTls TLS on the agent port (mutual when it trusts client certificates), or null for
 *     plain TCP
 * @param httpToken every HTTP request must carry {@code Authorization: Bearer httpToken}; empty for
 *     none
 * @param maxHttpRequestBytes an HTTP request larger than this is refused
 * @param maxQuerySamples the most samples one history request returns
 * @param remoteWrite Prometheus remote-write receivers every stored sample is pushed to; none by
 *     default
 * @param remoteWriteAuth credentials sent to every remote-write receiver
 * @param remoteWriteCaFile the CAs that https receivers' certificates must chain to, or null for
 *     the system's
 * @param remoteWriteQueue samples queued per receiver
 * @param remoteWriteBatch samples in one remote-write request at most
 * @param store where acknowledged samples are kept: a data directory, or memory only (the builder's
 *     default, for tests; the command's default is a data directory)
 * @param maxClockSkew how far an agent's sample times may be ahead of the collector's clock
 * @param maxSampleAge how old a sample may be (plus the skew): the longest spool an agent replays
 * @param httpHeaderTimeout an HTTP request's line and headers must arrive within this time of its
 *     first byte
 * @param httpRequestTimeout a whole HTTP request must arrive within this time of its first byte
 * @param alerts the rules, their receivers, and where their states are kept (the store's directory)
 */
public record CollectorConfig(
    InetSocketAddress listen,
    InetSocketAddress http,
    int history,
    Duration helloTimeout,
    Duration idleTimeout,
    Duration heartbeatEvery,
    int maxFrameBytes,
    String agentToken,
    int maxLinks,
    int maxLinksPerAddress,
    double maxSnapshotRate,
    int snapshotBurst,
    int maxCores,
    int maxDevices,
    int maxTextLength,
    SslContext agentTls,
    String httpToken,
    int maxHttpRequestBytes,
    int maxQuerySamples,
    List<URI> remoteWrite,
    RemoteWriteSettings.Auth remoteWriteAuth,
    Path remoteWriteCaFile,
    int remoteWriteQueue,
    int remoteWriteBatch,
    StoreConfig store,
    Duration maxClockSkew,
    Duration maxSampleAge,
    Duration httpHeaderTimeout,
    Duration httpRequestTimeout,
    AlertSettings alerts) {

  /** A day at a 1 s interval; the history of a 4096-core host then still fits in an array. */
  public static final int MAX_HISTORY = 86_400;

  public static final int DEFAULT_HISTORY = 720;
  public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

  public CollectorConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(http, "http");
    Objects.requireNonNull(helloTimeout, "helloTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(heartbeatEvery, "heartbeatEvery");
    Objects.requireNonNull(agentToken, "agentToken");
    Objects.requireNonNull(httpToken, "httpToken");
    remoteWrite = List.copyOf(remoteWrite);
    Objects.requireNonNull(remoteWriteAuth, "remoteWriteAuth");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(alerts, "alerts");
    if (history < 1 || history > MAX_HISTORY) {
      throw new IllegalArgumentException(
          "--history must be within 1.." + MAX_HISTORY + " samples, not " + history);
    }
    if (helloTimeout.isZero() || helloTimeout.isNegative()) {
      throw new IllegalArgumentException("--hello-timeout must be positive");
    }
    if (idleTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("--idle-timeout must be at least 2s");
    }
    if (heartbeatEvery.isZero() || heartbeatEvery.isNegative()) {
      throw new IllegalArgumentException(
          "the heartbeat period must be positive: " + heartbeatEvery);
    }
    if (maxFrameBytes < 1024 || maxFrameBytes > (64 << 20)) {
      throw new IllegalArgumentException(
          "--max-frame-bytes must be within 1024..67108864, not " + maxFrameBytes);
    }
    if (maxLinks < 1 || maxLinksPerAddress < 1 || snapshotBurst < 1) {
      throw new IllegalArgumentException(
          "--max-links, --max-links-per-address and --snapshot-burst must be at least 1");
    }
    if (maxCores < 1
        || maxCores > LinkGuards.MAX_CORES
        || maxDevices < 0
        || maxDevices > LinkGuards.MAX_DEVICES
        || maxTextLength < 1
        || maxTextLength > LinkGuards.MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          "--max-cores must be within 1.."
              + LinkGuards.MAX_CORES
              + ", --max-devices within 0.."
              + LinkGuards.MAX_DEVICES
              + " and --max-text-length within 1.."
              + LinkGuards.MAX_TEXT_LENGTH);
    }
    if (!(maxSnapshotRate > 0) || Double.isInfinite(maxSnapshotRate)) {
      throw new IllegalArgumentException("--max-snapshot-rate must be a positive number");
    }
    if (remoteWriteQueue < 1 || remoteWriteQueue > 10_000_000) {
      throw new IllegalArgumentException(
          "--remote-write-queue must be within 1..10000000 samples, not " + remoteWriteQueue);
    }
    if (remoteWriteBatch < 1 || remoteWriteBatch > 10_000) {
      throw new IllegalArgumentException(
          "--remote-write-batch must be within 1..10000 samples, not " + remoteWriteBatch);
    }
    for (URI receiver : remoteWrite) {
      try {
        RemoteWriteSettings.check(receiver);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--remote-write: " + e.getMessage(), e);
      }
    }
    if (maxHttpRequestBytes < 1024 || maxHttpRequestBytes > (16 << 20)) {
      throw new IllegalArgumentException(
          "--max-http-request-bytes must be within 1024..16777216, not " + maxHttpRequestBytes);
    }
    if (maxQuerySamples < 1 || maxQuerySamples > MAX_HISTORY) {
      throw new IllegalArgumentException(
          "--max-query-samples must be within 1.." + MAX_HISTORY + ", not " + maxQuerySamples);
    }
    // They check their values.
    inputRules(maxClockSkew, maxSampleAge);
    httpLimits(maxHttpRequestBytes, maxQuerySamples, httpHeaderTimeout, httpRequestTimeout);
  }

  /** The defaults of {@code vigia-collector}, to change where needed before {@code build()}. */
  public static CollectorConfigBuilder builder() {
    return new CollectorConfigBuilder();
  }

  /** Frame size and the timeouts of an agent link. */
  public IngestChannelInitializer.Limits ingestLimits() {
    return new IngestChannelInitializer.Limits(
        maxFrameBytes, helloTimeout, idleTimeout, heartbeatEvery);
  }

  /** The fleet token and the limits on agent links. */
  public LinkGuards guards() {
    return new LinkGuards(
        agentToken,
        maxLinks,
        maxLinksPerAddress,
        maxSnapshotRate,
        snapshotBurst,
        maxCores,
        maxDevices,
        maxTextLength);
  }

  public HttpLimits httpLimits() {
    return httpLimits(maxHttpRequestBytes, maxQuerySamples, httpHeaderTimeout, httpRequestTimeout);
  }

  private static HttpLimits httpLimits(
      int maxRequestBytes, int maxQuerySamples, Duration headerTimeout, Duration requestTimeout) {
    return new HttpLimits(maxRequestBytes, maxQuerySamples, headerTimeout, requestTimeout);
  }

  /** The window of sample times accepted from agents. */
  public InputRules inputRules() {
    return inputRules(maxClockSkew, maxSampleAge);
  }

  private static InputRules inputRules(Duration maxClockSkew, Duration maxSampleAge) {
    return new InputRules(maxClockSkew, maxSampleAge);
  }

  public RemoteWriteSettings remoteWriteSettings() {
    return new RemoteWriteSettings(
        remoteWrite, remoteWriteAuth, remoteWriteQueue, remoteWriteBatch, remoteWriteCaFile);
  }

  /** Never shows the tokens. */
  @Override
  public String toString() {
    return "CollectorConfig[listen="
        + listen
        + ", http="
        + http
        + ", history="
        + history
        + ", limits="
        + ingestLimits()
        + ", guards="
        + guards()
        + ", agentTls="
        + (agentTls == null ? "none" : "on")
        + ", httpToken="
        + (httpToken.isEmpty() ? "none" : "****")
        + ", httpLimits="
        + httpLimits()
        + ", inputRules="
        + inputRules()
        + ", remoteWrite="
        + remoteWriteSettings()
        + ", store="
        + store
        + ", alerts="
        + alerts
        + "]";
  }
}
