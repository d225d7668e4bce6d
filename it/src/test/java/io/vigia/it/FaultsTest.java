package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigia.agent.Agent;
import io.vigia.agent.AgentConfig;
import io.vigia.proto.ApiSample;
import io.vigia.proto.HostState;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivery under faults: agents stream at 100 ms through links that are cut, stalled, delayed and
 * cut mid-frame, to a collector that may be killed; afterwards what each agent produced is
 * compared, sequence by sequence, with what the collector holds.
 */
class FaultsTest {

  private static final Logger log = LoggerFactory.getLogger(FaultsTest.class);
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration RECOVERY = Duration.ofSeconds(40);

  @TempDir Path logs;

  @Test
  void randomProxyFaultsLoseNothingAndStoreNothingTwice() throws Exception {
    long seed = System.nanoTime();
    log.info("Random proxy faults with seed {}", seed);
    Random random = new Random(seed);
    try (Fleet fleet = Fleet.withCollector(Fleet.fastConfig().history(5000));
        FaultyProxy proxy = new FaultyProxy(fleet.collector().ingestAddress())) {
      List<Agent> agents = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        agents.add(fleet.streamingAgent("faulty-" + i, 2 + i, proxy.address(), INTERVAL));
      }
      ProxyFaults inject = new ProxyFaults(proxy, agents, fleet.collector().registry());
      Instant end = Instant.now().plusSeconds(14);
      List<String> faults = new ArrayList<>();
      while (Instant.now().isBefore(end)) {
        inject.letThrough(5 + random.nextInt(10)); // some samples through between faults
        faults.add(inject.injectOne(random));
      }
      log.info("Faults injected (seed {}): {}", seed, faults);

      proxy.heal();
      ApiClient api = new ApiClient(fleet.apiUrl());
      assertEveryProducedSampleStoredOnceInOrder(agents, api, Map.of());
    }
  }

  @Test
  void anInMemoryCollectorKilledAndRestartedGetsEverySampleItHadNotAcknowledged() throws Exception {
    try (CollectorProcess collector =
            new CollectorProcess(
                    logs.resolve("collector.log"),
                    "--in-memory",
                    "--idle-timeout",
                    "2s",
                    "--max-snapshot-rate",
                    "1000")
                .start();
        Fleet fleet = new Fleet()) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", collector.port());
      List<Agent> agents = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        agents.add(fleet.streamingAgent("crash-" + i, 2, address, INTERVAL));
      }
      await().atMost(RECOVERY).until(() -> agents.stream().allMatch(a -> a.ackedUpTo() >= 10));

      collector.kill();
      await().atMost(RECOVERY).until(() -> agents.stream().noneMatch(Agent::connected));
      // Acknowledged by the collector that died with them; the new one cannot have them.
      Map<String, Long> lostWithTheCollector = new HashMap<>();
      for (Agent agent : agents) {
        lostWithTheCollector.put(agent.identity().id(), agent.ackedUpTo());
      }
      long sampledWhileDown = agents.get(0).lastSeq();
      await().atMost(RECOVERY).until(() -> agents.get(0).lastSeq() >= sampledWhileDown + 10);

      Instant restarted = Instant.now();
      collector.start();
      await().atMost(RECOVERY).until(() -> agents.stream().allMatch(Agent::connected));
      Duration back = Duration.between(restarted, Instant.now());
      log.info("All agents back {} ms after the collector answered again", back.toMillis());
      assertThat(back).isLessThan(Duration.ofSeconds(35)); // the 30 s backoff cap, and slack

      assertEveryProducedSampleStoredOnceInOrder(
          agents, new ApiClient(collector.apiUrl()), lostWithTheCollector);
    }
  }

  @Test
  void aFullSpoolDropsTheOldestAndTheCollectorIsToldHowMany() throws Exception {
    int port = CollectorProcess.freePort();
    try (Fleet fleet = new Fleet()) {
      AgentConfig config =
          AgentConfig.builder()
              .collector(new InetSocketAddress("127.0.0.1", port))
              .interval(Fleet.MANUAL)
              .id("overflow")
              .spoolBytes(1024)
              .idleTimeout(Duration.ofSeconds(2))
              .build();
      Agent agent = fleet.agent(config, 2, 100);
      Fleet.sample(agent, 100);
      // The link takes samples on its own thread: wait until the count stops moving.
      long[] seen = {-1};
      await()
          .pollInterval(Duration.ofMillis(200))
          .atMost(RECOVERY)
          .until(
              () -> {
                long now = agent.spoolDropped();
                boolean settled = now > 0 && now == seen[0];
                seen[0] = now;
                return settled;
              });
      long dropped = agent.spoolDropped();
      assertThat(dropped).as("1 KiB holds far fewer than 100 snapshots").isBetween(50L, 99L);

      try (var collector = Fleet.startCollector(port)) {
        ApiClient api = new ApiClient("http://127.0.0.1:" + collector.httpAddress().getPort());
        await().atMost(RECOVERY).until(() -> agent.ackedUpTo() == 100);

        List<Long> expected = LongStream.rangeClosed(dropped + 1, 100).boxed().toList();
        assertThat(api.seqs("overflow")).isEqualTo(expected);
        assertThat(api.agent("overflow").getSpoolDropped()).isEqualTo(dropped);
      }
    }
  }

  @Test
  void anAgentFailsOverToTheNextCollectorAndReturnsToThePrimaryWhenItIsBack() throws Exception {
    int primaryPort = CollectorProcess.freePort();
    try (Fleet fleet = Fleet.withCollector(Fleet.fastConfig().history(5000))) {
      ApiClient fallbackApi = new ApiClient(fleet.apiUrl());
      Agent agent =
          fleet.agent(
              Fleet.streamingConfig(
                  "roamer",
                  List.of(
                      new InetSocketAddress("127.0.0.1", primaryPort),
                      fleet.collector().ingestAddress()),
                  INTERVAL),
              2,
              100);
      await().atMost(RECOVERY).until(() -> agent.ackedUpTo() >= 10);
      assertThat(fallbackApi.agent("roamer").getState()).isEqualTo(HostState.CONNECTED);

      try (var primary =
          Fleet.startCollector(
              Fleet.fastConfig().listen(Fleet.loopback(primaryPort)).history(5000))) {
        ApiClient primaryApi = new ApiClient("http://127.0.0.1:" + primary.httpAddress().getPort());
        await()
            .atMost(RECOVERY)
            .ignoreExceptions()
            .until(() -> primaryApi.agent("roamer").getSamples() >= 10);
        await()
            .atMost(RECOVERY)
            .until(() -> fallbackApi.agent("roamer").getState() == HostState.LEFT);

        long target = agent.lastSeq();
        await().atMost(RECOVERY).until(() -> agent.connected() && agent.ackedUpTo() >= target);
        agent.close();
        List<Long> onFallback = api(fallbackApi, "roamer");
        List<Long> onPrimary = api(primaryApi, "roamer");
        assertThat(onFallback).startsWith(1L).doesNotHaveDuplicates().isSorted();
        assertThat(onPrimary).doesNotHaveDuplicates().isSorted().endsWith(agent.lastSeq());
        // Nothing falls between the two: the primary takes over where the fallback's
        // acknowledgements stopped (a sample stored by both is allowed, a gap is not).
        java.util.Set<Long> union = new java.util.TreeSet<>(onFallback);
        union.addAll(onPrimary);
        assertThat(union)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, agent.lastSeq()).boxed().toList());
      }
    }
  }

  private static List<Long> api(ApiClient api, String id) throws Exception {
    return api.seqs(id);
  }

  @Test
  void aLongReplayIsPacedBelowTheCollectorsRateLimitAndNeverRefused() throws Exception {
    int port = CollectorProcess.freePort();
    try (Fleet fleet = new Fleet()) {
      Agent agent = fleet.agent("patient", 2, 100, port);
      Fleet.sample(agent, 110); // the spool holds 120 at this agent's (manual) interval

      var strict =
          Fleet.config().listen(Fleet.loopback(port)).maxSnapshotRate(20).snapshotBurst(20);
      try (var collector = Fleet.startCollector(strict)) {
        ApiClient api = new ApiClient("http://127.0.0.1:" + collector.httpAddress().getPort());
        // 110 samples: a burst of 18, then 18/s: about 5 s, on one link, never refused.
        await().atMost(RECOVERY).untilAsserted(() -> assertThat(agent.ackedUpTo()).isEqualTo(110));

        assertThat(api.seqs("patient")).isEqualTo(LongStream.rangeClosed(1, 110).boxed().toList());
        assertThat(api.agent("patient").getLinks()).as("never cut for its rate").isEqualTo(1);
        assertThat(api.get("/api/v1/rejections").body()).doesNotContain("rate_exceeded\": \"1");
      }
    }
  }

  @Test
  void aRestartedAgentStartsANewEpochAndTheOldHistoryStays() throws Exception {
    try (Fleet fleet = Fleet.withCollector()) {
      ApiClient api = new ApiClient(fleet.apiUrl());
      Agent first = fleet.agent("restarted", 2, 100);
      Fleet.sample(first, 5);
      await().atMost(RECOVERY).until(() -> first.ackedUpTo() == 5);
      first.close();

      Agent second = fleet.agent("restarted", 2, 200);
      Fleet.sample(second, 3);
      await().atMost(RECOVERY).until(() -> second.ackedUpTo() == 3);

      List<ApiSample> history = api.history("restarted");
      assertThat(history)
          .extracting(ApiSample::getSeq)
          .containsExactly(1L, 2L, 3L, 4L, 5L, 1L, 2L, 3L);
      assertThat(history.subList(0, 5)).allMatch(s -> s.getEpoch() == first.identity().epoch());
      assertThat(history.subList(5, 8)).allMatch(s -> s.getEpoch() == second.identity().epoch());
    }
  }

  /**
   * Stops the agents once they caught up (their stop waits for the collector to acknowledge the
   * spool), then checks each history: exactly the produced sequences, each once, in order, at
   * increasing sample times, except the first {@code acknowledgedElsewhere} ones.
   */
  static void assertEveryProducedSampleStoredOnceInOrder(
      List<Agent> agents, ApiClient api, Map<String, Long> acknowledgedElsewhere) throws Exception {
    for (Agent agent : agents) {
      long target = agent.lastSeq();
      await().atMost(RECOVERY).until(() -> agent.connected() && agent.ackedUpTo() >= target);
    }
    // Stopping waits for the collector to acknowledge what the spool still holds.
    agents.forEach(Agent::close);
    for (Agent agent : agents) {
      String id = agent.identity().id();
      long produced = agent.lastSeq();
      long from = acknowledgedElsewhere.getOrDefault(id, 0L) + 1;
      assertThat(agent.ackedUpTo()).as("%s: all acknowledged at stop", id).isEqualTo(produced);
      List<ApiSample> history = api.history(id);
      assertThat(history)
          .as("%s: sequences %d..%d", id, from, produced)
          .extracting(ApiSample::getSeq)
          .isEqualTo(LongStream.rangeClosed(from, produced).boxed().toList());
      assertThat(history)
          .extracting(
              sample ->
                  sample.getTime().getSeconds() * 1_000_000_000L + sample.getTime().getNanos())
          .as("%s: each sample at its own time", id)
          .isSorted();
      log.info(
          "{}: produced {}, stored {} ({} acknowledged by a collector that died), {} replays ignored",
          id,
          produced,
          history.size(),
          from - 1,
          api.agent(id).getDuplicates());
    }
  }
}
