package io.vigia.collector;

import io.netty.handler.ssl.SslContext;
import io.vigia.collector.alert.AlertSettings;
import io.vigia.collector.http.HttpLimits;
import io.vigia.collector.ingest.InputRules;
import io.vigia.collector.ingest.LinkGuards;
import io.vigia.collector.remotewrite.RemoteWriteSettings;
import io.vigia.collector.store.StoreConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A {@link CollectorConfig} that starts from the defaults of {@code vigia-collector}, so a caller
 * sets only what differs; {@link #build()} checks the values. Not thread-safe.
 *
 * <pre>{@code
 * CollectorConfig config = CollectorConfig.builder().history(10).idleTimeout(Duration.ofSeconds(5)).build();
 * }</pre>
 */
public final class CollectorConfigBuilder {
  private InetSocketAddress listen = new InetSocketAddress("0.0.0.0", 7070);
  private InetSocketAddress http = new InetSocketAddress("127.0.0.1", 7071);
  private int history = CollectorConfig.DEFAULT_HISTORY;
  private Duration helloTimeout = Duration.ofSeconds(10);
  private Duration idleTimeout = Duration.ofSeconds(30);
  private Duration heartbeatEvery; // null: a third of the idle timeout
  private int maxFrameBytes = CollectorConfig.DEFAULT_MAX_FRAME_BYTES;
  private String agentToken = "";
  private int maxLinks = LinkGuards.DEFAULT_MAX_LINKS;
  private int maxLinksPerAddress = LinkGuards.DEFAULT_MAX_LINKS_PER_ADDRESS;
  private double maxSnapshotRate = LinkGuards.DEFAULT_SNAPSHOTS_PER_SECOND;
  private int snapshotBurst = LinkGuards.DEFAULT_SNAPSHOT_BURST;
  private int maxCores = LinkGuards.MAX_CORES;
  private int maxDevices = LinkGuards.MAX_DEVICES;
  private int maxTextLength = LinkGuards.MAX_TEXT_LENGTH;
  private SslContext agentTls;
  private String httpToken = "";
  private int maxHttpRequestBytes = HttpLimits.DEFAULT_MAX_REQUEST_BYTES;
  private int maxQuerySamples = HttpLimits.DEFAULT_MAX_QUERY_SAMPLES;
  private List<URI> remoteWrite = List.of();
  private RemoteWriteSettings.Auth remoteWriteAuth = RemoteWriteSettings.Auth.NONE;
  private Path remoteWriteCaFile;
  private int remoteWriteQueue = RemoteWriteSettings.DEFAULT_QUEUE;
  private int remoteWriteBatch = RemoteWriteSettings.DEFAULT_BATCH;
  private StoreConfig store = StoreConfig.IN_MEMORY;
  private Duration maxClockSkew = InputRules.DEFAULT_MAX_CLOCK_SKEW;
  private Duration maxSampleAge = InputRules.DEFAULT_MAX_SAMPLE_AGE;
  private Duration httpHeaderTimeout = HttpLimits.DEFAULT_HEADER_TIMEOUT;
  private Duration httpRequestTimeout = HttpLimits.DEFAULT_REQUEST_TIMEOUT;
  private AlertSettings alerts = AlertSettings.DEFAULT;

  CollectorConfigBuilder() {}

  /**
   * @throws IllegalArgumentException naming the option of the first value out of range
   */
  public CollectorConfig build() {
    return new CollectorConfig(
        listen,
        http,
        history,
        helloTimeout,
        idleTimeout,
        heartbeatEvery != null ? heartbeatEvery : idleTimeout.dividedBy(3),
        maxFrameBytes,
        agentToken,
        maxLinks,
        maxLinksPerAddress,
        maxSnapshotRate,
        snapshotBurst,
        maxCores,
        maxDevices,
        maxTextLength,
        agentTls,
        httpToken,
        maxHttpRequestBytes,
        maxQuerySamples,
        remoteWrite,
        remoteWriteAuth,
        remoteWriteCaFile,
        remoteWriteQueue,
        remoteWriteBatch,
        store,
        maxClockSkew,
        maxSampleAge,
        httpHeaderTimeout,
        httpRequestTimeout,
        alerts);
  }

  public CollectorConfigBuilder listen(InetSocketAddress listen) {
    this.listen = listen;
    return this;
  }

  public CollectorConfigBuilder http(InetSocketAddress http) {
    this.http = http;
    return this;
  }

  public CollectorConfigBuilder history(int history) {
    this.history = history;
    return this;
  }

  public CollectorConfigBuilder helloTimeout(Duration helloTimeout) {
    this.helloTimeout = helloTimeout;
    return this;
  }

  public CollectorConfigBuilder idleTimeout(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
    return this;
  }

  /** Unset, a third of the idle timeout, so a quiet link sees three beats before it is cut. */
  public CollectorConfigBuilder heartbeatEvery(Duration heartbeatEvery) {
    this.heartbeatEvery = heartbeatEvery;
    return this;
  }

  public CollectorConfigBuilder maxFrameBytes(int maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    return this;
  }

  public CollectorConfigBuilder agentToken(String agentToken) {
    this.agentToken = agentToken;
    return this;
  }

  public CollectorConfigBuilder maxLinks(int maxLinks) {
    this.maxLinks = maxLinks;
    return this;
  }

  public CollectorConfigBuilder maxLinksPerAddress(int maxLinksPerAddress) {
    this.maxLinksPerAddress = maxLinksPerAddress;
    return this;
  }

  public CollectorConfigBuilder maxSnapshotRate(double maxSnapshotRate) {
    this.maxSnapshotRate = maxSnapshotRate;
    return this;
  }

  public CollectorConfigBuilder snapshotBurst(int snapshotBurst) {
    this.snapshotBurst = snapshotBurst;
    return this;
  }

  public CollectorConfigBuilder maxCores(int maxCores) {
    this.maxCores = maxCores;
    return this;
  }

  public CollectorConfigBuilder maxDevices(int maxDevices) {
    this.maxDevices = maxDevices;
    return this;
  }

  public CollectorConfigBuilder maxTextLength(int maxTextLength) {
    this.maxTextLength = maxTextLength;
    return this;
  }

  public CollectorConfigBuilder agentTls(SslContext agentTls) {
    this.agentTls = agentTls;
    return this;
  }

  public CollectorConfigBuilder httpToken(String httpToken) {
    this.httpToken = httpToken;
    return this;
  }

  public CollectorConfigBuilder maxHttpRequestBytes(int maxHttpRequestBytes) {
    this.maxHttpRequestBytes = maxHttpRequestBytes;
    return this;
  }

  public CollectorConfigBuilder maxQuerySamples(int maxQuerySamples) {
    this.maxQuerySamples = maxQuerySamples;
    return this;
  }

  public CollectorConfigBuilder remoteWrite(List<URI> remoteWrite) {
    this.remoteWrite = remoteWrite;
    return this;
  }

  public CollectorConfigBuilder remoteWriteAuth(RemoteWriteSettings.Auth remoteWriteAuth) {
    this.remoteWriteAuth = remoteWriteAuth;
    return this;
  }

  public CollectorConfigBuilder remoteWriteCaFile(Path remoteWriteCaFile) {
    this.remoteWriteCaFile = remoteWriteCaFile;
    return this;
  }

  public CollectorConfigBuilder remoteWriteQueue(int remoteWriteQueue) {
    this.remoteWriteQueue = remoteWriteQueue;
    return this;
  }

  public CollectorConfigBuilder store(StoreConfig store) {
    this.store = store;
    return this;
  }

  public CollectorConfigBuilder remoteWriteBatch(int remoteWriteBatch) {
    this.remoteWriteBatch = remoteWriteBatch;
    return this;
  }

  public CollectorConfigBuilder maxClockSkew(Duration maxClockSkew) {
    this.maxClockSkew = maxClockSkew;
    return this;
  }

  public CollectorConfigBuilder maxSampleAge(Duration maxSampleAge) {
    this.maxSampleAge = maxSampleAge;
    return this;
  }

  public CollectorConfigBuilder httpHeaderTimeout(Duration httpHeaderTimeout) {
    this.httpHeaderTimeout = httpHeaderTimeout;
    return this;
  }

  public CollectorConfigBuilder httpRequestTimeout(Duration httpRequestTimeout) {
    this.httpRequestTimeout = httpRequestTimeout;
    return this;
  }

  public CollectorConfigBuilder alerts(AlertSettings alerts) {
    this.alerts = alerts;
    return this;
  }
}
