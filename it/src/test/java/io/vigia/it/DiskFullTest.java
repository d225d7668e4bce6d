package io.vigia.it;

import static io.vigia.it.FaultsTest.assertEveryProducedSampleStoredOnceInOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.util.JsonFormat;
import io.vigia.agent.Agent;
import io.vigia.proto.ApiStore;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real full disk: the collector's data directory on a small tmpfs that the test fills, while
 * agents stream. The collector must stop acknowledging (the agents keep their samples), say so, and
 * resume by itself once space returns, with every sample stored once.
 */
class DiskFullTest {

  private static final Duration INTERVAL = Duration.ofMillis(50);
  private static final Duration PATIENCE = Duration.ofSeconds(40);

  @TempDir Path dir;
  private Path mount;

  @AfterEach
  void unmount() throws Exception {
    if (mount != null) {
      run("umount", "-l", mount.toString());
    }
  }

  @Test
  void aFullDiskStopsAcksWithoutLosingAnythingAndIngestResumesWhenSpaceReturns() throws Exception {
    mount = Files.createDirectory(dir.resolve("small-disk"));
    boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString());
    String why = "mounting a tmpfs needs root (CI runs as root)";
    if (!mounted) {
      mount = null;
    }
    if ("true".equals(System.getenv("CI"))) {
      assertThat(mounted).as(why).isTrue();
    }
    assumeTrue(mounted, why);
    try (CollectorProcess collector =
            new CollectorProcess(
                    dir.resolve("collector.log"),
                    "--data-dir",
                    Path.of(mount.toString(), "data").toString(),
                    "--idle-timeout",
                    "2s",
                    "--max-snapshot-rate",
                    "1000",
                    "--history",
                    "5000")
                .start();
        Fleet fleet = new Fleet()) {
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", collector.port());
      List<Agent> agents = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        agents.add(fleet.streamingAgent("full-" + i, 2, address, INTERVAL));
      }
      await().atMost(PATIENCE).until(() -> agents.stream().allMatch(a -> a.ackedUpTo() >= 5));

      // Leave about 48 KiB: a few seconds of these agents' samples.
      Path filler = mount.resolve("filler");
      FileStore disk = Files.getFileStore(mount);
      try (RandomAccessFile file = new RandomAccessFile(filler.toFile(), "rw")) {
        file.setLength(Math.max(0, disk.getUsableSpace() - 48 * 1024));
        file.seek(file.length() - 1);
        file.write(0); // tmpfs counts written pages only: touch each
        byte[] page = new byte[4096];
        for (long at = 0; at < file.length(); at += page.length) {
          file.seek(at);
          file.write(page);
        }
      }
      await().atMost(PATIENCE).until(() -> !store(collector).getWritable());
      ApiStore full = store(collector);
      assertThat(full.getLastError()).containsIgnoringCase("space");
      assertThat(full.getWriteFailures()).isPositive();
      long ackedWhileFull = agents.get(0).ackedUpTo();
      await()
          .atMost(PATIENCE)
          .until(() -> agents.stream().allMatch(a -> a.lastSeq() > a.ackedUpTo() + 20));
      assertThat(agents.get(0).ackedUpTo()).isLessThanOrEqualTo(ackedWhileFull + 1);
      assertThat(new ApiClient(collector.apiUrl()).get("/api/v1/rejections").body())
          .contains("store_unavailable");

      Files.delete(filler);
      await().atMost(PATIENCE).until(() -> store(collector).getWritable());

      assertEveryProducedSampleStoredOnceInOrder(
          agents, new ApiClient(collector.apiUrl()), Map.of());
      // And what it acknowledged is on the disk: it survives a kill.
      collector.kill();
      collector.start();
      for (Agent agent : agents) {
        assertThat(new ApiClient(collector.apiUrl()).seqs(agent.identity().id()))
            .hasSize((int) agent.lastSeq());
      }
    }
  }

  private static ApiStore store(CollectorProcess collector) throws Exception {
    ApiStore.Builder store = ApiStore.newBuilder();
    JsonFormat.parser().merge(new ApiClient(collector.apiUrl()).get("/api/v1/store").body(), store);
    return store.build();
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
  }
}
