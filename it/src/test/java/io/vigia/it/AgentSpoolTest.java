package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.Timestamps;
import io.vigia.journal.JournalFormat;
import io.vigia.journal.JournalReader;
import io.vigia.proto.ApiSample;
import io.vigia.proto.Hello;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's disk spool with real processes, started through {@code scripts/vigia-agent}: while
 * the collector is down, the agent is stopped (SIGKILL, or SIGTERM) and started again twice; when
 * the collector comes up, every sample each run took (read from the spool files themselves) is in
 * the collector's history exactly once, under the epoch and sequence it was taken with.
 */
class AgentSpoolTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir Path tmp;

  @Test
  void agentKilledTwiceDuringAnOutageLosesNothingAndNothingArrivesTwice() throws Exception {
    outageWithRestarts(true);
  }

  @Test
  void agentStoppedTwiceDuringAnOutageKeepsItsSpoolAndSaysSo() throws Exception {
    outageWithRestarts(false);
    for (int run = 1; run <= 2; run++) {
      assertThat(Files.readString(tmp.resolve("agent-" + run + ".log")))
          .containsPattern(
              "Stopping with \\d+ samples the collector has not acknowledged; they stay in");
    }
  }

  private void outageWithRestarts(boolean kill) throws Exception {
    Path spool = tmp.resolve("spool");
    try (CollectorProcess collector = new CollectorProcess(tmp.resolve("collector.log"))) {
      // Taken by every run, as the spool files show them: epoch -> sequences.
      Map<Long, Set<Long>> taken = new LinkedHashMap<>();
      List<Long> epochs = new ArrayList<>();
      Process agent = null;
      for (int run = 1; run <= 3; run++) {
        agent = startAgent(collector.port(), spool, tmp.resolve("agent-" + run + ".log"));
        int before = count(taken);
        await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(200))
            .until(() -> count(read(spool)) >= before + 3);
        if (run < 3) {
          if (kill) {
            agent.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
          } else {
            agent.destroy(); // SIGTERM
          }
          assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();
          if (!kill) {
            assertThat(agent.exitValue()).as("exit code after SIGTERM").isZero();
          }
          merge(taken, read(spool));
        }
      }
      Map<Long, Set<Long>> third = read(spool);
      merge(taken, third);
      epochs.addAll(taken.keySet());
      assertThat(epochs).as("three runs, three epochs").hasSize(3);

      collector.start();
      ApiClient api = new ApiClient(collector.apiUrl());
      long current = epochs.get(2);
      await()
          .atMost(PATIENCE)
          .pollInterval(Duration.ofMillis(250))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                Map<Long, List<Long>> stored = byEpoch(api.history("spooled"));
                for (long epoch : epochs) {
                  assertThat(stored.getOrDefault(epoch, List.of()))
                      .as("epoch %d", epoch)
                      .containsAll(taken.get(epoch));
                }
              });
      // What the current run said of its spool when it connected: vigia show and the API.
      var shown = api.agent("spooled");
      assertThat(shown.getSpoolRecovered())
          .as("recovered at the third start")
          .isEqualTo(count(taken) - taken.get(current).size() - 0L)
          .isPositive();
      assertThat(shown.getSpoolDiskBytes()).isPositive();
      assertThat(shown.hasSpoolOldest()).isTrue();
      agent.destroy();
      assertThat(agent.waitFor(20, TimeUnit.SECONDS)).isTrue();

      List<ApiSample> history = api.history("spooled");
      Set<String> seen = new HashSet<>();
      for (ApiSample sample : history) {
        assertThat(seen.add(sample.getEpoch() + "/" + sample.getSeq()))
            .as("stored once: epoch %d seq %d", sample.getEpoch(), sample.getSeq())
            .isTrue();
      }
      Map<Long, List<Long>> stored = byEpoch(history);
      assertThat(stored.keySet()).containsExactlyElementsOf(epochs); // oldest run first
      for (long epoch : epochs) {
        List<Long> seqs = stored.get(epoch);
        // From 1, without a gap, and for the stopped runs exactly what they had taken.
        assertThat(seqs).as("epoch %d", epoch).startsWith(1L);
        assertThat(seqs.get(seqs.size() - 1)).isEqualTo(seqs.size());
        if (epoch != current) {
          assertThat(new TreeSet<>(seqs)).isEqualTo(new TreeSet<>(taken.get(epoch)));
        }
      }
      // Each at the time it was taken: the history runs forward across the runs.
      for (int i = 1; i < history.size(); i++) {
        assertThat(Timestamps.toMillis(history.get(i).getTime()))
            .isGreaterThan(Timestamps.toMillis(history.get(i - 1).getTime()));
      }
    }
  }

  private Process startAgent(int port, Path spool, Path log) throws IOException {
    return new ProcessBuilder(
            CollectorProcess.SCRIPTS.resolve("vigia-agent").toString(),
            "--collector",
            "127.0.0.1:" + port,
            "--interval",
            "1s",
            "--id",
            "spooled",
            "--metrics",
            "cpu,memory",
            "--spool-dir",
            spool.toString(),
            "--credentials-file",
            spool.resolveSibling(spool.getFileName() + "-credentials").toString(),
            "--spool-sync",
            "1s")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** The samples in the spool directory now, by epoch (the docs/format/spool.md records). */
  private static Map<Long, Set<Long>> read(Path spool) throws IOException {
    Map<Long, Set<Long>> found = new LinkedHashMap<>();
    if (!Files.isDirectory(spool)) {
      return found;
    }
    long[] epoch = {0};
    long[] segment = {-1};
    JournalReader.read(
        spool,
        JournalFormat.Kind.AGENT_SPOOL,
        2 << 20,
        false,
        (type, payload, number, offset) -> {
          if (number != segment[0]) {
            segment[0] = number;
            epoch[0] = 0;
          }
          if (type == 1 && epoch[0] == 0) {
            epoch[0] = Hello.parseFrom(payload).getEpoch();
          } else if (type == 2 && epoch[0] != 0) {
            found.computeIfAbsent(epoch[0], e -> new TreeSet<>()).add(payload.getLong(0));
          }
        });
    return found;
  }

  private static int count(Map<Long, Set<Long>> samples) {
    return samples.values().stream().mapToInt(Set::size).sum();
  }

  private static void merge(Map<Long, Set<Long>> into, Map<Long, Set<Long>> from) {
    from.forEach((epoch, seqs) -> into.computeIfAbsent(epoch, e -> new TreeSet<>()).addAll(seqs));
  }

  private static Map<Long, List<Long>> byEpoch(List<ApiSample> history) {
    Map<Long, List<Long>> stored = new LinkedHashMap<>();
    for (ApiSample sample : history) {
      stored.computeIfAbsent(sample.getEpoch(), e -> new ArrayList<>()).add(sample.getSeq());
    }
    return stored;
  }
}
