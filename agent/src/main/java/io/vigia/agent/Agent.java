package io.vigia.agent;

import io.vigia.agent.link.AgentIdentity;
import io.vigia.agent.link.CollectorLink;
import io.vigia.agent.sampling.HostFacts;
import io.vigia.agent.sampling.Sampler;
import io.vigia.agent.sampling.Samplers;
import io.vigia.agent.sampling.SamplingLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A running agent: a {@link SamplingLoop} feeding a {@link CollectorLink}.
 *
 * <pre>{@code
 * try (Agent agent = Agent.onThisHost(config)) {
 *   ... // samples flow until close()
 * }
 * }</pre>
 */
public final class Agent implements AutoCloseable {

  /** On stop, how long to wait for the collector to acknowledge what the spool holds. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private static final Path MACHINE_ID = Path.of("/etc/machine-id");

  private final AgentIdentity identity;
  private final CollectorLink link;
  private final SamplingLoop sampling;
  private boolean closed;

  private Agent(AgentConfig config, AgentIdentity identity, List<Sampler> samplers) {
    this.identity = identity;
    // Heartbeats well within the collector's idle timeout, whatever the interval.
    Duration heartbeatEvery =
        config.interval().compareTo(Duration.ofSeconds(5)) > 0
            ? Duration.ofSeconds(5)
            : config.interval();
    this.link =
        new CollectorLink(
            CollectorLink.Settings.builder()
                .collectors(config.collectors())
                .token(config.token())
                .spoolSamples(config.spoolSamples())
                .spoolBytes(config.memorySpoolBytes())
                .silentAfter(config.idleTimeout())
                .heartbeatEvery(heartbeatEvery)
                .stopWait(STOP_WAIT)
                .primaryCheckEvery(config.primaryCheckEvery())
                .tls(config.tls())
                .disk(config.spoolOnDisk())
                .credentials(config.credentials())
                .build(),
            identity);
    this.sampling =
        new SamplingLoop(
            samplers, config.interval(), InstantSource.system(), System::nanoTime, link::offer);
  }

  /** Starts an agent that samples every metric family of this machine. */
  public static Agent onThisHost(AgentConfig config) {
    return onThisHost(config, SamplingChoice.ALL);
  }

  /**
   * Starts an agent that samples the chosen families of this machine: from /proc and /sys on Linux,
   * through OSHI elsewhere.
   */
  public static Agent onThisHost(AgentConfig config, SamplingChoice choice) {
    HostFacts host = Samplers.hostFacts();
    AgentIdentity identity =
        new AgentIdentity(
            config.id() != null ? config.id() : defaultId(host.hostname()),
            host.hostname(),
            host.os(),
            host.cores(),
            version(),
            newEpoch(),
            config.interval());
    List<Sampler> samplers =
        Samplers.onThisHost(
            choice.families(), choice.mounts(), choice.interfaces(), System::nanoTime);
    return start(config, identity, samplers);
  }

  /** Starts an agent with the given identity and samplers (synthetic ones in tests). */
  public static Agent start(AgentConfig config, AgentIdentity identity, List<Sampler> samplers) {
    Agent agent = new Agent(config, identity, samplers);
    agent.link.start();
    agent.sampling.start();
    return agent;
  }

  public AgentIdentity identity() {
    return identity;
  }

  /** Takes one extra sample now, besides the scheduled ones. */
  public Future<?> sampleNow() {
    return sampling.sampleNow();
  }

  /** The sequence number of the newest sample taken (0: none yet). */
  public long lastSeq() {
    return sampling.lastSeq();
  }

  /** True while the link to a collector is up and its handshake done. */
  public boolean connected() {
    return link.connected();
  }

  /** The highest sequence the collector has acknowledged. */
  public long ackedUpTo() {
    return link.ackedUpTo();
  }

  /** Samples dropped because the spool overflowed while the collector was unreachable. */
  public long spoolDropped() {
    return link.dropped();
  }

  /** A fresh stream epoch: random, so two starts in the same millisecond still differ. */
  public static long newEpoch() {
    return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
  }

  /** This build's version, from the jar manifest ("dev" when run from classes). */
  public static String version() {
    String version = Agent.class.getPackage().getImplementationVersion();
    return version != null ? version : "dev";
  }

  /**
   * The id an agent gets when none is configured: the hostname plus the start of the machine id,
   * which is stable across restarts and tells apart clones that share a hostname.
   */
  static String defaultId(String hostname) {
    String base = hostname.isBlank() ? "host" : hostname.toLowerCase(Locale.ROOT);
    try {
      String machineId = Files.readString(MACHINE_ID, StandardCharsets.US_ASCII).strip();
      if (machineId.length() >= 8) {
        return base + "-" + machineId.substring(0, 8);
      }
    } catch (IOException | SecurityException e) {
      // No machine id here (not systemd Linux): the hostname alone has to do.
    }
    return base;
  }

  /**
   * Stops sampling, waits a little for the collector to acknowledge what the spool holds, says
   * Goodbye and closes the link. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    sampling.close();
    link.close();
  }
}
