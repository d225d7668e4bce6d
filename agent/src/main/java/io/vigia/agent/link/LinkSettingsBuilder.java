package io.vigia.agent.link;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * A {@link CollectorLink.Settings} that starts from the agent's defaults, so a caller sets the
 * collectors and only what differs. Not thread-safe.
 *
 * <pre>{@code
 * CollectorLink.Settings settings =
 *     CollectorLink.Settings.builder().collector(address).spoolSamples(100).build();
 * }</pre>
 */
public final class LinkSettingsBuilder {
  private List<InetSocketAddress> collectors = List.of();
  private String token = "";
  private int spoolSamples = 3600;
  private long spoolBytes = 8L << 20;
  private Duration silentAfter = Duration.ofSeconds(30);
  private Duration heartbeatEvery = Duration.ofSeconds(10);
  private Duration stopWait = Duration.ofSeconds(5);
  private Duration primaryCheckEvery = Duration.ofMinutes(1);
  private SslContext tls;
  private SpoolOnDisk disk;
  private AgentCredentials credentials = AgentCredentials.inMemory();

  LinkSettingsBuilder() {}

  /**
   * @throws IllegalArgumentException if no collector was given
   */
  public CollectorLink.Settings build() {
    return new CollectorLink.Settings(
        collectors,
        token,
        spoolSamples,
        spoolBytes,
        silentAfter,
        heartbeatEvery,
        stopWait,
        primaryCheckEvery,
        tls,
        disk,
        credentials);
  }

  /** The primary first, then the fallbacks in order; none by default. */
  public LinkSettingsBuilder collectors(List<InetSocketAddress> collectors) {
    this.collectors = List.copyOf(collectors);
    return this;
  }

  /** One collector, no fallback. */
  public LinkSettingsBuilder collector(InetSocketAddress collector) {
    return collectors(List.of(collector));
  }

  /** Default empty: the collector needs none. */
  public LinkSettingsBuilder token(String token) {
    this.token = token;
    return this;
  }

  /** Default 3600. */
  public LinkSettingsBuilder spoolSamples(int spoolSamples) {
    this.spoolSamples = spoolSamples;
    return this;
  }

  /** Default 8 MiB. */
  public LinkSettingsBuilder spoolBytes(long spoolBytes) {
    this.spoolBytes = spoolBytes;
    return this;
  }

  /** Default 30 s. */
  public LinkSettingsBuilder silentAfter(Duration silentAfter) {
    this.silentAfter = silentAfter;
    return this;
  }

  /** Default 10 s. */
  public LinkSettingsBuilder heartbeatEvery(Duration heartbeatEvery) {
    this.heartbeatEvery = heartbeatEvery;
    return this;
  }

  /** Default 5 s. */
  public LinkSettingsBuilder stopWait(Duration stopWait) {
    this.stopWait = stopWait;
    return this;
  }

  /** Default 1 min. */
  public LinkSettingsBuilder primaryCheckEvery(Duration primaryCheckEvery) {
    this.primaryCheckEvery = primaryCheckEvery;
    return this;
  }

  /** Default null: plain TCP. */
  public LinkSettingsBuilder tls(SslContext tls) {
    this.tls = tls;
    return this;
  }

  /** Default null: the spool in memory only. */
  public LinkSettingsBuilder disk(SpoolOnDisk disk) {
    this.disk = disk;
    return this;
  }

  /** Default: in memory only, so a new config enrolls anew (tests). */
  public LinkSettingsBuilder credentials(AgentCredentials credentials) {
    this.credentials = credentials;
    return this;
  }
}
