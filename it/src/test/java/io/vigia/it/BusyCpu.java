package io.vigia.it;

import io.vigia.agent.Agent;
import io.vigia.agent.AgentConfig;
import io.vigia.agent.link.AgentIdentity;
import io.vigia.agent.sampling.CpuMode;
import io.vigia.agent.sampling.CpuUsage;
import io.vigia.agent.sampling.Sample;
import io.vigia.agent.sampling.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A 2-core CPU whose busy share (per mille, every core alike) a test sets: the load an alert test
 * turns on and off.
 */
final class BusyCpu implements Sampler {

  final AtomicInteger busy = new AtomicInteger();

  /** An agent sampling only when told to, with this CPU, linked to the fleet's collector. */
  static Agent agent(Fleet fleet, String id, BusyCpu cpu) {
    AgentConfig config =
        AgentConfig.builder()
            .collector(Fleet.loopback(fleet.collector().ingestAddress().getPort()))
            .interval(Fleet.MANUAL)
            .id(id)
            .build();
    return Agent.start(
        config,
        new AgentIdentity(
            id, id + ".test", "TestOS", 2, "test", Agent.newEpoch(), config.interval()),
        List.of(cpu));
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void sampleInto(Sample.Builder sample) {
    int b = busy.get();
    int[] modes = new int[CpuMode.values().length];
    modes[CpuMode.USER.ordinal()] = b;
    modes[CpuMode.IDLE.ordinal()] = 1000 - b;
    sample.cpu(new CpuUsage(b, new int[] {b, b}, modes, Duration.ofSeconds(1)));
  }
}
