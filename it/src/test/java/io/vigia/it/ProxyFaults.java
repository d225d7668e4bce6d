package io.vigia.it;

import static org.awaitility.Awaitility.await;

import io.vigia.agent.Agent;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.LinkState;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * The faults {@link FaultsTest} and {@link FleetSoakTest} inject through a {@link FaultyProxy},
 * each held until it has taken effect (a condition, with a deadline), never for a fixed time.
 */
final class ProxyFaults {

  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration DELAY = Duration.ofMillis(300);

  private final FaultyProxy proxy;
  private final List<Agent> agents;
  private final HostRegistry hosts;

  /**
   * @param hosts the registry of the collector behind {@code proxy}
   */
  ProxyFaults(FaultyProxy proxy, List<Agent> agents, HostRegistry hosts) {
    this.proxy = proxy;
    this.agents = List.copyOf(agents);
    this.hosts = hosts;
  }

  /** Waits until every agent has had at least {@code samples} more samples acknowledged. */
  void letThrough(int samples) {
    Fleet.awaitMoreAcked(agents, samples, PATIENCE);
  }

  /**
   * Injects one fault chosen by {@code random} and returns its name once it has taken effect: a
   * cut, a stall held until both ends have given the silent links up (their idle timeouts), a 300
   * ms delay held until every agent had five samples acknowledged through it, or a frame cut in
   * half.
   */
  String injectOne(Random random) {
    switch (random.nextInt(4)) {
      case 0 -> {
        proxy.cutAll();
        return "cut";
      }
      case 1 -> {
        proxy.stall(true);
        await().atMost(PATIENCE).pollInterval(POLL).until(this::bothEndsGaveUp);
        proxy.stall(false);
        return "stall";
      }
      case 2 -> {
        proxy.delay(DELAY);
        letThrough(5);
        proxy.delay(Duration.ZERO);
        return "delay";
      }
      default -> {
        proxy.cutNextFrameInHalf();
        return "half-frame";
      }
    }
  }

  private boolean bothEndsGaveUp() {
    for (Agent agent : agents) {
      if (agent.connected()
          || hosts
              .host(agent.identity().id())
              .map(host -> host.state() == LinkState.CONNECTED)
              .orElse(false)) {
        return false;
      }
    }
    return true;
  }
}
