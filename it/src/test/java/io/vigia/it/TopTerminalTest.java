package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigia.agent.Agent;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.RegistryListener;
import io.vigia.collector.registry.StoredSample;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code vigia top} in a real terminal: tmux runs it (as a separate JVM) against the harness's
 * collector; the test types with {@code send-keys} and reads the screen with {@code capture-pane}.
 * It also measures how long a stored sample takes to be on that screen.
 */
class TopTerminalTest {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final String socket = "vigia-test-" + UUID.randomUUID();
  private final String session = "top";
  private Path tmux;
  private Fleet fleet;
  private Agent alpha;

  /** When the collector stored each (host, seq), in System.nanoTime(). */
  private final Map<String, Long> storedAt = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    tmux = ExternalTool.require("tmux", "tmux");
    fleet = Fleet.withCollector();
    fleet
        .collector()
        .registry()
        .addListener(
            new RegistryListener() {
              @Override
              public void sampleStored(String hostId, StoredSample sample) {
                storedAt.put(hostId + "#" + sample.seq(), System.nanoTime());
              }

              @Override
              public void stateChanged(HostView host) {}
            });
    alpha = fleet.agent("alpha", 4, 250);
    Fleet.sample(alpha, 2);
    Fleet.sample(fleet.agent("bravo", 2, 600), 2);
    await().atMost(PATIENCE).until(() -> fleet.collector().registry().storedSamples() == 4);
  }

  @AfterEach
  void stop() throws Exception {
    if (tmux != null) {
      run("kill-server");
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  private List<String> vigia(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.vigia.collector.cli.VigiaCommand");
    command.addAll(List.of(args));
    return command;
  }

  private int run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(tmux.toString(), "-L", socket));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  private String screen() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(tmux.toString(), "-L", socket, "capture-pane", "-p", "-t", session)
            .start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return text;
  }

  private void keys(String... keys) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
    args.addAll(List.of(keys));
    assertThat(run(args.toArray(String[]::new))).isZero();
  }

  private void startTop(int width, int height) throws IOException, InterruptedException {
    List<String> args =
        new ArrayList<>(
            List.of("new-session", "-d", "-s", session, "-x", "" + width, "-y", "" + height, "--"));
    args.addAll(vigia("top", "--url", fleet.apiUrl()));
    assertThat(run(args.toArray(String[]::new))).isZero();
  }

  private void save(String name, String text) throws IOException {
    Path dir = Path.of("target");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name), text);
  }

  @Test
  void showsTheFleetSortsFiltersOpensAHostAndQuits() throws Exception {
    startTop(120, 30);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> assertThat(screen()).contains("2 hosts, 2 connected").contains("alpha"));
    String fleetScreen = screen();
    save("top-fleet.txt", fleetScreen);
    List<String> lines = fleetScreen.lines().toList();
    // Sorted by CPU: bravo (60 % busy) above alpha (25 %).
    assertThat(lines.get(2)).startsWith("bravo").contains("CONNECTED");
    // 25 % of a 12-cell bar; four cores at 25 % each in the strip.
    assertThat(lines.get(3)).startsWith("alpha").contains(" 25.0% ███ ").endsWith("▃▃▃▃");

    keys("n");
    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(screen().lines().toList().get(2)).startsWith("alpha"));

    keys("/", "b", "r", "a", "v", "Enter");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              List<String> now = screen().lines().toList();
              assertThat(now.get(0)).contains("filter: brav");
              assertThat(now.get(2)).startsWith("bravo");
              assertThat(now.get(3)).isBlank();
            });

    keys("/", "BSpace", "BSpace", "BSpace", "BSpace", "Enter", "n", "Enter");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(screen())
                    .contains("alpha (alpha.test)  CONNECTED  4 cores")
                    .contains("CPU, last 2 samples"));
    save("top-host.txt", screen());

    keys("Escape");
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen()).contains("2 hosts"));
    keys("q");
    await().atMost(PATIENCE).until(() -> run("has-session", "-t", session) != 0);
  }

  @Test
  void aStoredSampleIsOnTheScreenWithinASecond() throws Exception {
    startTop(120, 30);
    await().atMost(PATIENCE).untilAsserted(() -> assertThat(screen()).contains("alpha"));
    keys("n", "Enter");
    await()
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(screen()).contains("CPU, last 2 samples"));

    List<Long> millis = new ArrayList<>();
    for (int seq = 3; seq <= 12; seq++) {
      Fleet.sample(alpha, 1);
      String expected = "CPU, last " + seq + " samples";
      long seen;
      // Poll the screen as fast as tmux answers: the figure is an upper bound by one poll.
      while (true) {
        if (screen().contains(expected)) {
          seen = System.nanoTime();
          break;
        }
        assertThat(System.nanoTime() - storedAt.getOrDefault("alpha#" + seq, System.nanoTime()))
            .as("sample %d still not on screen", seq)
            .isLessThan(TimeUnit.SECONDS.toNanos(10));
      }
      millis.add(TimeUnit.NANOSECONDS.toMillis(seen - storedAt.get("alpha#" + seq)));
    }
    Collections.sort(millis);
    String report =
        "vigia top: sample stored -> on the tmux screen, ms (10 samples, sorted): "
            + millis
            + "; median "
            + millis.get(millis.size() / 2)
            + ", max "
            + millis.get(millis.size() - 1)
            + "\n";
    save("top-latency.txt", report);
    System.out.print(report);
    assertThat(millis.get(millis.size() - 1)).isLessThan(1000);
  }

  @Test
  void intoAPipeItPrintsPlainLines() throws Exception {
    Process top =
        new ProcessBuilder(vigia("top", "--url", fleet.apiUrl()))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(top.getInputStream(), StandardCharsets.UTF_8))) {
                out.lines().forEach(lines::add);
              } catch (IOException | java.io.UncheckedIOException e) {
                // The process ended.
              }
            });
    reader.setDaemon(true);
    reader.start();
    try {
      assertThat(lines.poll(30, TimeUnit.SECONDS))
          .matches("\\d\\d:\\d\\d:\\d\\d alpha CONNECTED cpu=25\\.\\d% .*");
      assertThat(lines.poll(30, TimeUnit.SECONDS)).contains(" bravo CONNECTED cpu=60");
      // The stream may not be subscribed yet when the first sample is stored: sample until one
      // shows, a bounded number of times.
      String line = null;
      for (int i = 0; i < 20 && line == null; i++) {
        Fleet.sample(alpha, 1);
        line = lines.poll(1, TimeUnit.SECONDS);
      }
      assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d alpha sample cpu=25\\.\\d% .*");
    } finally {
      top.destroy();
      top.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
