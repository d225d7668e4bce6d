package io.vigia.it;

import static io.vigia.it.FaultsTest.assertEveryProducedSampleStoredOnceInOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import io.vigia.agent.Agent;
import io.vigia.proto.ApiStore;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's promise that an acknowledged sample is never lost, tested the hard way: a real
 * collector process with a data directory, killed with SIGKILL at random moments (or stopped, or
 * restarted on a damaged log) while agents stream to it every 100 ms; afterwards every sequence
 * number each agent produced is compared with what the collector holds.
 */
class DurableCollectorTest {

  private static final Logger log = LoggerFactory.getLogger(DurableCollectorTest.class);
  private static final Duration INTERVAL = Duration.ofMillis(100);
  private static final Duration RECOVERY = Duration.ofSeconds(40);

  @TempDir Path dir;

  private CollectorProcess collector() throws Exception {
    return new CollectorProcess(
        dir.resolve("collector.log"),
        "--data-dir",
        dir.resolve("data").toString(),
        "--idle-timeout",
        "2s",
        "--max-snapshot-rate",
        "1000");
  }

  /** A collector that checkpoints every few KiB: its samples move into blocks all the time. */
  private CollectorProcess checkpointingCollector() throws Exception {
    return new CollectorProcess(
        dir.resolve("collector.log"),
        "--data-dir",
        dir.resolve("data").toString(),
        "--idle-timeout",
        "2s",
        "--max-snapshot-rate",
        "1000",
        "--wal-segment-size",
        "8KiB",
        "--wal-size",
        "16KiB");
  }

  private static List<Agent> agents(Fleet fleet, CollectorProcess collector) {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", collector.port());
    List<Agent> agents = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      agents.add(fleet.streamingAgent("durable-" + i, 2 + i, address, INTERVAL));
    }
    return agents;
  }

  @Test
  void aCollectorKilledAtRandomMomentsLosesNothingItAcknowledged() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    log.info("Killing the collector at random moments, seed {}", seed);
    try (CollectorProcess collector = checkpointingCollector().start();
        Fleet fleet = new Fleet()) {
      List<Agent> agents = agents(fleet, collector);
      await().atMost(RECOVERY).until(() -> agents.stream().allMatch(a -> a.ackedUpTo() >= 5));
      for (int kill = 0; kill < 6; kill++) {
        // A random moment of the stream: right away (0, in the middle of the reconnect), or once
        // every agent has had up to 2.5 s of samples acknowledged by this collector.
        Fleet.awaitMoreAcked(agents, random.nextInt(25), RECOVERY);
        collector.kill();
        collector.start();
      }

      assertEveryProducedSampleStoredOnceInOrder(
          agents, new ApiClient(collector.apiUrl()), Map.of());
      ApiStore store = store(collector);
      assertThat(store.getDurable()).isTrue();
      assertThat(store.getRecovery().getSamples()).isPositive();
      assertThat(store.getRecovery().getFromBlocks()).isPositive();
      assertThat(store.getBlockChunks()).isPositive();
    }
  }

  @Test
  void aCollectorStoppedAndStartedAgainKeepsEverything() throws Exception {
    try (CollectorProcess collector = collector().start();
        Fleet fleet = new Fleet()) {
      List<Agent> agents = agents(fleet, collector);
      await().atMost(RECOVERY).until(() -> agents.stream().allMatch(a -> a.ackedUpTo() >= 10));
      collector.close(); // SIGTERM
      collector.start();

      assertEveryProducedSampleStoredOnceInOrder(
          agents, new ApiClient(collector.apiUrl()), Map.of());
      assertThat(store(collector).getRecovery().getTornBytes()).isZero();
    }
  }

  @Test
  void aLogCutAtARandomOffsetStartsAndStoresEachSampleAtMostOnce() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try (CollectorProcess collector = collector().start();
        Fleet fleet = new Fleet()) {
      List<Agent> agents = agents(fleet, collector);
      await().atMost(RECOVERY).until(() -> agents.stream().allMatch(a -> a.ackedUpTo() >= 20));
      collector.kill();
      Path newest = segments().get(segments().size() - 1);
      long size = Files.size(newest);
      long cut = 16 + (long) (random.nextDouble() * (size - 16));
      try (RandomAccessFile file = new RandomAccessFile(newest.toFile(), "rw")) {
        file.setLength(cut);
      }
      log.info("Cut {} at {} of {} bytes (seed {})", newest.getFileName(), cut, size, seed);
      collector.start();

      ApiClient api = new ApiClient(collector.apiUrl());
      for (Agent agent : agents) {
        long target = agent.lastSeq();
        await().atMost(RECOVERY).until(() -> agent.connected() && agent.ackedUpTo() >= target);
      }
      agents.forEach(Agent::close);
      for (Agent agent : agents) {
        List<Long> seqs = api.seqs(agent.identity().id());
        // What was cut is lost (it had been acknowledged); nothing is stored twice, and what
        // came after the restart is all there.
        assertThat(seqs).doesNotHaveDuplicates().isSorted().endsWith(agent.lastSeq());
        assertThat(missingRuns(seqs, agent.lastSeq())).isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void flippedBytesInTheLogAreSkippedAndCountedAndTheCollectorStarts() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    try (CollectorProcess collector = collector().start();
        Fleet fleet = new Fleet()) {
      List<Agent> agents = agents(fleet, collector);
      await().atMost(RECOVERY).until(() -> agents.stream().allMatch(a -> a.ackedUpTo() >= 30));
      collector.close();
      Path segment = segments().get(0);
      long size = Files.size(segment);
      try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
        for (int i = 0; i < 3; i++) {
          long at = size / 4 + (long) (random.nextDouble() * size / 2);
          file.seek(at);
          int b = file.read();
          file.seek(at);
          file.write(b ^ (1 << random.nextInt(8)));
        }
      }
      log.info("Flipped 3 bits in the middle of {} (seed {})", segment.getFileName(), seed);
      collector.start();

      ApiStore store = store(collector);
      assertThat(store.getRecovery().getCorruptRegions()).isBetween(1L, 3L);
      assertThat(store.getDroppedMap().get("corrupt")).isPositive();
      ApiClient api = new ApiClient(collector.apiUrl());
      for (Agent agent : agents) {
        long target = agent.lastSeq();
        await().atMost(RECOVERY).until(() -> agent.connected() && agent.ackedUpTo() >= target);
      }
      agents.forEach(Agent::close);
      long missing = 0;
      for (Agent agent : agents) {
        List<Long> seqs = api.seqs(agent.identity().id());
        assertThat(seqs).doesNotHaveDuplicates().isSorted().endsWith(agent.lastSeq());
        missing += agent.lastSeq() - seqs.size();
      }
      assertThat(missing).as("each flipped bit costs at most the record it lands in").isLessThan(4);
    }
  }

  private static int missingRuns(List<Long> seqs, long last) {
    int runs = 0;
    long expected = 1;
    for (long seq : seqs) {
      if (seq != expected) {
        runs++;
      }
      expected = seq + 1;
    }
    return expected <= last ? runs + 1 : runs;
  }

  private List<Path> segments() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve("data").resolve("wal"))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".seg"))
          .sorted(Comparator.naturalOrder())
          .toList();
    }
  }

  private static ApiStore store(CollectorProcess collector) throws Exception {
    ApiStore.Builder store = ApiStore.newBuilder();
    JsonFormat.parser().merge(new ApiClient(collector.apiUrl()).get("/api/v1/store").body(), store);
    return store.build();
  }
}
