package io.vigia.it;

import io.vigia.agent.Agent;
import io.vigia.agent.AgentConfig;
import io.vigia.agent.link.AgentIdentity;
import io.vigia.collector.Collector;
import io.vigia.collector.ingest.IngestChannelInitializer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The integration harness: a collector on loopback ports chosen by the OS and agents with synthetic
 * samplers, all in this JVM, closed together.
 */
final class Fleet implements AutoCloseable {

  /** Scheduled rounds never fire during a test: samples are taken with {@link #sample}. */
  static final Duration MANUAL = Duration.ofHours(1);

  static final IngestChannelInitializer.Limits LIMITS =
      new IngestChannelInitializer.Limits(
          1 << 20, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10));

  private final List<Agent> agents = new ArrayList<>();
  private Collector collector;

  static Fleet withCollector() {
    Fleet fleet = new Fleet();
    fleet.collector = startCollector(0);
    return fleet;
  }

  static Collector startCollector(int port) {
    return Collector.start(
        new Collector.Settings(
            new InetSocketAddress("127.0.0.1", port),
            new InetSocketAddress("127.0.0.1", 0),
            720,
            LIMITS),
        InstantSource.system());
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
    AgentConfig config =
        new AgentConfig(new InetSocketAddress("127.0.0.1", collectorPort), MANUAL, id, "");
    Agent agent =
        Agent.start(
            config,
            new AgentIdentity(id, id + ".test", "TestOS", cores, "test", Agent.newEpoch(), MANUAL),
            List.of(new SyntheticCpuSampler(cores, baseBusy)));
    agents.add(agent);
    return agent;
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
