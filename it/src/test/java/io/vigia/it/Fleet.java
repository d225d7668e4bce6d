package io.vigia.it;

import static org.awaitility.Awaitility.await;

import io.vigia.agent.Agent;
import io.vigia.agent.AgentConfig;
import io.vigia.agent.link.AgentCredentials;
import io.vigia.agent.link.AgentIdentity;
import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfig;
import io.vigia.collector.CollectorConfigBuilder;
import io.vigia.collector.remotewrite.RemoteWriteSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The integration harness: a collector on loopback ports chosen by the OS and agents with synthetic
 * samplers, all in this JVM, closed together.
 */
final class Fleet implements AutoCloseable {

  /** Scheduled rounds never fire during a test: samples are taken with {@link #sample}. */
  static final Duration MANUAL = Duration.ofHours(1);

  private final List<Agent> agents = new ArrayList<>();
  private final Map<String, AgentCredentials> credentials = new HashMap<>();
  private Collector collector;

  static InetSocketAddress loopback(int port) {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /**
   * Loopback ports chosen by the OS, the default link limits, but a snapshot rate for the fault
   * tests' agents, which sample ten times a second (the default rate would pace their replays
   * slower than they sample).
   */
  static CollectorConfigBuilder config() {
    return CollectorConfig.builder().listen(loopback(0)).http(loopback(0)).maxSnapshotRate(1000);
  }

  /**
   * Short timeouts for fault tests: the collector beats every 500 ms on an idle link and drops a
   * link silent for 2 s.
   */
  static CollectorConfigBuilder fastConfig() {
    return config().idleTimeout(Duration.ofSeconds(2)).heartbeatEvery(Duration.ofMillis(500));
  }

  static Fleet withCollector() {
    return withCollector(config());
  }

  static Fleet withCollector(CollectorConfigBuilder config) {
    Fleet fleet = new Fleet();
    fleet.collector = startCollector(config);
    return fleet;
  }

  /** A collector whose HTTP side asks for {@code httpToken}. */
  static Fleet withHttpToken(String httpToken) {
    return withCollector(config().httpToken(httpToken));
  }

  static Collector startCollector(int port) {
    return startCollector(config().listen(loopback(port)));
  }

  static Collector startCollector(CollectorConfigBuilder config) {
    return Collector.start(config.build(), InstantSource.system());
  }

  /** A collector on loopback ports chosen by the OS that pushes its samples by remote write. */
  static Collector startCollector(RemoteWriteSettings remoteWrite) {
    return startCollector(
        CollectorConfig.builder()
            .listen(loopback(0))
            .http(loopback(0))
            .remoteWrite(remoteWrite.receivers())
            .remoteWriteAuth(remoteWrite.auth())
            .remoteWriteQueue(remoteWrite.queueCapacity())
            .remoteWriteBatch(remoteWrite.maxBatch())
            .remoteWriteCaFile(remoteWrite.caFile()));
  }

  /**
   * An agent that samples on its own every {@code interval} (fault tests) and gives up on a silent
   * link after 2 s.
   */
  Agent streamingAgent(String id, int cores, InetSocketAddress collector, Duration interval) {
    return agent(streamingConfig(id, List.of(collector), interval), cores, 100 + cores);
  }

  /**
   * Sampling every {@code interval}, giving up on a silent link after 2 s, checking every second
   * for a primary that is back.
   */
  static AgentConfig streamingConfig(
      String id, List<InetSocketAddress> collectors, Duration interval) {
    return AgentConfig.builder()
        .collectors(collectors)
        .interval(interval)
        .id(id)
        .idleTimeout(Duration.ofSeconds(2))
        .primaryCheckEvery(Duration.ofSeconds(1))
        .build();
  }

  /**
   * Starts an agent with {@code config} and a {@link SyntheticCpuSampler}. Agents of one id are one
   * machine: unless {@code config} keeps its credentials in a file, they share the credentials of
   * that id in this fleet, as restarts of one agent share its state directory.
   */
  Agent agent(AgentConfig config, int cores, int baseBusy) {
    if (config.credentials().file() == null && config.id() != null) {
      config =
          new AgentConfig(
              config.collectors(),
              config.interval(),
              config.id(),
              config.token(),
              config.spoolSpan(),
              config.spoolBytes(),
              config.idleTimeout(),
              config.primaryCheckEvery(),
              config.tls(),
              config.spoolOnDisk(),
              credentials.computeIfAbsent(config.id(), id -> AgentCredentials.inMemory()));
    }
    Agent agent =
        Agent.start(
            config,
            new AgentIdentity(
                config.id(),
                config.id() + ".test",
                "TestOS",
                cores,
                "test",
                Agent.newEpoch(),
                config.interval()),
            List.of(new SyntheticCpuSampler(cores, baseBusy)));
    agents.add(agent);
    return agent;
  }

  Collector collector() {
    return collector;
  }

  String apiUrl() {
    return "http://127.0.0.1:" + collector.httpAddress().getPort();
  }

  /** Starts an agent whose samples come from a {@link SyntheticCpuSampler}. */
  Agent agent(String id, int cores, int baseBusy) {
    return agent(id, cores, baseBusy, collector.ingestAddress().getPort());
  }

  Agent agent(String id, int cores, int baseBusy, int collectorPort) {
    return agent(
        AgentConfig.builder()
            .collector(new InetSocketAddress("127.0.0.1", collectorPort))
            .interval(MANUAL)
            .id(id)
            .build(),
        cores,
        baseBusy);
  }

  /**
   * Waits (at most {@code patience}) until every one of {@code agents} has had at least {@code
   * samples} more samples acknowledged than now.
   */
  static void awaitMoreAcked(List<Agent> agents, int samples, Duration patience) {
    long[] from = agents.stream().mapToLong(Agent::ackedUpTo).toArray();
    await()
        .atMost(patience)
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              for (int i = 0; i < from.length; i++) {
                if (agents.get(i).ackedUpTo() < from[i] + samples) {
                  return false;
                }
              }
              return true;
            });
  }

  /** Takes {@code n} samples on {@code agent}, one after the other. */
  static void sample(Agent agent, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      agent.sampleNow().get(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    agents.forEach(Agent::close);
    if (collector != null) {
      collector.close();
    }
  }
}
