package io.vigia.agent;

import io.netty.handler.ssl.SslContext;
import io.vigia.agent.link.AgentCredentials;
import io.vigia.agent.link.SpoolOnDisk;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * An {@link AgentConfig} that starts from the defaults of {@code vigia-agent}, so a caller sets the
 * collectors and only what differs; {@link #build()} checks the values. Not thread-safe.
 *
 * <pre>{@code
 * AgentConfig config =
 *     AgentConfig.builder().collector(address).interval(Duration.ofSeconds(1)).id("web-1").build();
 * }</pre>
 */
public final class AgentConfigBuilder {
  private List<InetSocketAddress> collectors = List.of();
  private Duration interval = Duration.ofSeconds(5);
  private String id;
  private String token = "";
  private Duration spoolSpan = AgentConfig.DEFAULT_SPOOL_SPAN;
  private long spoolBytes = AgentConfig.DEFAULT_SPOOL_BYTES;
  private Duration idleTimeout = AgentConfig.DEFAULT_IDLE_TIMEOUT;
  private Duration primaryCheckEvery = AgentConfig.DEFAULT_PRIMARY_CHECK;
  private SslContext tls;
  private SpoolOnDisk spoolOnDisk;
  private AgentCredentials credentials = AgentCredentials.inMemory();

  AgentConfigBuilder() {}

  /**
   * @throws IllegalArgumentException naming the first value out of range (no collector given, ...)
   */
  public AgentConfig build() {
    return new AgentConfig(
        collectors,
        interval,
        id,
        token,
        spoolSpan,
        spoolBytes,
        idleTimeout,
        primaryCheckEvery,
        tls,
        spoolOnDisk,
        credentials);
  }

  /** The primary first, then the fallbacks in order; none by default. */
  public AgentConfigBuilder collectors(List<InetSocketAddress> collectors) {
    this.collectors = List.copyOf(collectors);
    return this;
  }

  /** One collector, no fallback. */
  public AgentConfigBuilder collector(InetSocketAddress collector) {
    return collectors(List.of(collector));
  }

  /** Default 5 s. */
  public AgentConfigBuilder interval(Duration interval) {
    this.interval = interval;
    return this;
  }

  /** Default null: derived from the machine id. */
  public AgentConfigBuilder id(String id) {
    this.id = id;
    return this;
  }

  /** Default empty: the collector needs none. */
  public AgentConfigBuilder token(String token) {
    this.token = token;
    return this;
  }

  /** Default {@link AgentConfig#DEFAULT_SPOOL_SPAN}. */
  public AgentConfigBuilder spoolSpan(Duration spoolSpan) {
    this.spoolSpan = spoolSpan;
    return this;
  }

  /** Default {@link AgentConfig#DEFAULT_SPOOL_BYTES}. */
  public AgentConfigBuilder spoolBytes(long spoolBytes) {
    this.spoolBytes = spoolBytes;
    return this;
  }

  /** Default {@link AgentConfig#DEFAULT_IDLE_TIMEOUT}. */
  public AgentConfigBuilder idleTimeout(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
    return this;
  }

  /** Default {@link AgentConfig#DEFAULT_PRIMARY_CHECK}. */
  public AgentConfigBuilder primaryCheckEvery(Duration primaryCheckEvery) {
    this.primaryCheckEvery = primaryCheckEvery;
    return this;
  }

  /** Default null: plain TCP. */
  public AgentConfigBuilder tls(SslContext tls) {
    this.tls = tls;
    return this;
  }

  /** Default null: the spool in memory only. */
  public AgentConfigBuilder spoolOnDisk(SpoolOnDisk spoolOnDisk) {
    this.spoolOnDisk = spoolOnDisk;
    return this;
  }

  /** Default: in memory only, so a new config enrolls anew (tests). */
  public AgentConfigBuilder credentials(AgentCredentials credentials) {
    this.credentials = credentials;
    return this;
  }
}
