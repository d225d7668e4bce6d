package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigia.agent.Agent;
import io.vigia.proto.ApiAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long fault run behind the delivery figures: many agents streaming at 100 ms through a proxy
 * that cuts, stalls, delays and half-cuts links every few seconds, for minutes. Not part of {@code
 * mvn verify}; run it with {@code scripts/soak [agents] [minutes]}.
 */
@Tag("soak")
class FleetSoakTest {

  private static final Logger log = LoggerFactory.getLogger(FleetSoakTest.class);

  @Test
  void manyAgentsUnderRepeatedFaultsLoseNothingAndStoreNothingTwice() throws Exception {
    int agentCount = Integer.getInteger("soak.agents", 50);
    Duration length = Duration.ofSeconds(Long.getLong("soak.seconds", 600));
    Duration interval = Duration.ofMillis(Long.getLong("soak.intervalMs", 100));
    Duration faultEvery = Duration.ofMillis(Long.getLong("soak.faultEveryMs", 5000));
    long seed = Long.getLong("soak.seed", System.nanoTime());
    Random random = new Random(seed);
    int history = (int) (length.toMillis() / interval.toMillis() * 3 / 2 + 1000);
    log.info(
        "Soak: {} agents at {} ms for {} s, a fault every ~{} ms, seed {}",
        agentCount,
        interval.toMillis(),
        length.toSeconds(),
        faultEvery.toMillis(),
        seed);

    try (Fleet fleet = Fleet.withCollector(Fleet.fastConfig().history(history));
        FaultyProxy proxy = new FaultyProxy(fleet.collector().ingestAddress())) {
      List<Agent> agents = new ArrayList<>();
      for (int i = 0; i < agentCount; i++) {
        agents.add(fleet.streamingAgent("soak-" + i, 2 + i % 15, proxy.address(), interval));
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> agents.stream().allMatch(Agent::connected));

      ProxyFaults inject = new ProxyFaults(proxy, agents, fleet.collector().registry());
      Instant end = Instant.now().plus(length);
      long longestRecoveryMs = 0;
      int faults = 0;
      Instant nextReport = Instant.now().plusSeconds(30);
      while (Instant.now().isBefore(end)) {
        // Some samples through between faults: about faultEvery's worth, at random.
        inject.letThrough(
            (int)
                Math.max(
                    1,
                    (faultEvery.toMillis() / 2 + random.nextInt((int) faultEvery.toMillis()))
                        / interval.toMillis()));
        String fault = inject.injectOne(random);
        faults++;
        Instant healed = Instant.now();
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> fault.equals("delay") || agents.stream().allMatch(Agent::connected));
        longestRecoveryMs =
            Math.max(longestRecoveryMs, Duration.between(healed, Instant.now()).toMillis());
        if (Instant.now().isAfter(nextReport)) {
          nextReport = Instant.now().plusSeconds(30);
          long produced = agents.stream().mapToLong(Agent::lastSeq).sum();
          long acked = agents.stream().mapToLong(Agent::ackedUpTo).sum();
          log.info(
              "Soak progress: {} faults, {} samples produced, {} acknowledged, longest recovery {} ms",
              faults,
              produced,
              acked,
              longestRecoveryMs);
        }
      }

      proxy.heal();
      ApiClient api = new ApiClient(fleet.apiUrl());
      FaultsTest.assertEveryProducedSampleStoredOnceInOrder(agents, api, Map.of());
      long produced = agents.stream().mapToLong(Agent::lastSeq).sum();
      long stored = 0;
      long replaysIgnored = 0;
      for (Agent agent : agents) {
        ApiAgent view = api.agent(agent.identity().id());
        stored += view.getSamples();
        replaysIgnored += view.getDuplicates();
      }
      String summary =
          String.format(
              Locale.ROOT,
              "{\"agents\": %d, \"intervalMs\": %d, \"seconds\": %d, \"faults\": %d,"
                  + " \"produced\": %d, \"stored\": %d, \"duplicatedInHistory\": 0, \"lost\": %d,"
                  + " \"replaysIgnored\": %d, \"longestRecoveryMs\": %d, \"seed\": %d}",
              agentCount,
              interval.toMillis(),
              length.toSeconds(),
              faults,
              produced,
              stored,
              produced - stored,
              replaysIgnored,
              longestRecoveryMs,
              seed);
      log.info("Soak result: {}", summary);
      Files.writeString(
          Path.of("target", "soak-summary.json"), summary + "\n", StandardCharsets.UTF_8);
      assertThat(stored).isEqualTo(produced);
    }
  }
}
