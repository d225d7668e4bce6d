package io.vigia.agent;

import io.netty.handler.ssl.SslContext;
import io.vigia.agent.link.AgentCredentials;
import io.vigia.agent.link.SpoolOnDisk;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an agent is told to do; immutable and validated.
 *
 * @param collectors the primary collector first, then fallbacks in order
 * @param interval time between samples
 * @param id the agent id, or null to derive one from the machine id
 * @param token the fleet's shared secret, empty when the collector needs none
 * @param spoolSpan keep this much of sampling while the collector does not acknowledge it
 * @param spoolBytes and at most this many encoded bytes of it
 * @param idleTimeout close a link the collector has been silent on for this long
 * @param primaryCheckEvery while on a fallback collector, how often to see whether the primary is
 *     back
 * @param tls TLS to the collector (verifying its name, with a client certificate for mutual TLS),
 *     or null for plain TCP
 * @param spoolOnDisk where to keep the spool on disk, or null to keep it in memory only; in memory
 *     it holds at most {@link #MEMORY_SPOOL_BYTES}, whatever {@code spoolBytes} says
 * @param credentials where the per-agent credentials collectors issue are kept (in the state
 *     directory, so that a restart keeps them)
 */
public record AgentConfig(
    List<InetSocketAddress> collectors,
    Duration interval,
    String id,
    String token,
    Duration spoolSpan,
    long spoolBytes,
    Duration idleTimeout,
    Duration primaryCheckEvery,
    SslContext tls,
    SpoolOnDisk spoolOnDisk,
    AgentCredentials credentials) {

  /** The memory spool's span when none is given (the disk spool's default is in the CLI). */
  public static final Duration DEFAULT_SPOOL_SPAN = Duration.ofHours(1);

  public static final long DEFAULT_SPOOL_BYTES = 8L << 20;

  /** The memory spool never holds more than this, so the agent's heap stays small. */
  public static final long MEMORY_SPOOL_BYTES = 8L << 20;

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_PRIMARY_CHECK = Duration.ofMinutes(1);

  /** However long the interval, the spool holds at least this many samples. */
  static final int MIN_SPOOL_SAMPLES = 120;

  static final int MAX_SPOOL_SAMPLES = 10_000_000;

  public AgentConfig {
    collectors = List.copyOf(collectors);
    if (collectors.isEmpty()) {
      throw new IllegalArgumentException("at least one collector is needed");
    }
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(spoolSpan, "spoolSpan");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(primaryCheckEvery, "primaryCheckEvery");
    Objects.requireNonNull(credentials, "credentials");
    if (primaryCheckEvery.isNegative() || primaryCheckEvery.isZero()) {
      throw new IllegalArgumentException(
          "primary check period must be positive: " + primaryCheckEvery);
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    if (id != null && id.isBlank()) {
      throw new IllegalArgumentException("agent id must not be blank");
    }
    if (spoolBytes < 1024) {
      throw new IllegalArgumentException("spool must hold at least 1 KiB: " + spoolBytes);
    }
    if (idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("idle timeout must be at least 1s: " + idleTimeout);
    }
  }

  /** The defaults of {@code vigia-agent}, to change where needed before {@code build()}. */
  public static AgentConfigBuilder builder() {
    return new AgentConfigBuilder();
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "AgentConfig[collectors="
        + collectors
        + ", interval="
        + interval
        + ", id="
        + id
        + ", token="
        + (token.isEmpty() ? "none" : "****")
        + ", spoolSpan="
        + spoolSpan
        + ", spoolBytes="
        + spoolBytes
        + ", idleTimeout="
        + idleTimeout
        + ", primaryCheckEvery="
        + primaryCheckEvery
        + ", tls="
        + (tls == null ? "none" : "on")
        + ", spoolOnDisk="
        + spoolOnDisk
        + ", credentials="
        + credentials
        + "]";
  }

  /**
   * How many samples make {@link #spoolSpan} at this interval in the memory spool (never under 120,
   * and no more than {@link #MEMORY_SPOOL_BYTES} would hold at 100 bytes each).
   */
  int spoolSamples() {
    long samples = spoolSpan.toMillis() / Math.max(1, interval.toMillis());
    samples = Math.min(samples, MEMORY_SPOOL_BYTES / 100);
    return (int) Math.max(MIN_SPOOL_SAMPLES, Math.min(MAX_SPOOL_SAMPLES, samples));
  }

  /** The memory spool's byte bound: {@link #spoolBytes}, at most {@link #MEMORY_SPOOL_BYTES}. */
  long memorySpoolBytes() {
    return Math.min(spoolBytes, MEMORY_SPOOL_BYTES);
  }
}
