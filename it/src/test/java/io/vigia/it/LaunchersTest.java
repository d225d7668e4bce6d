package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped launchers in {@code scripts/}, as an operator runs them: a collector and two agents
 * as separate processes, listed by {@code scripts/vigia agents --json}, stopped with SIGTERM.
 */
class LaunchersTest {

  private static final Path SCRIPTS = Path.of(System.getProperty("user.dir"), "..", "scripts");

  private final List<Process> processes = new ArrayList<>();
  @TempDir Path logs;

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  @Test
  void twoAgentsConnectAndOneThatStopsIsLeftWithItsSamples() throws Exception {
    int port = freePort();
    int http = freePort();
    String url = "http://127.0.0.1:" + http;
    Process collector =
        start(
            "collector",
            "vigia-collector",
            "--listen",
            "127.0.0.1:" + port,
            "--http",
            "127.0.0.1:" + http,
            "--data-dir",
            logs.resolve("data").toString());
    await().atMost(Duration.ofSeconds(30)).until(() -> vigia("agents", "--url", url).exit == 0);

    Process one =
        start(
            "one",
            "vigia-agent",
            "--collector",
            "127.0.0.1:" + port,
            "--interval",
            "1s",
            "--id",
            "one",
            "--spool-dir",
            logs.resolve("spool-one").toString(),
            "--credentials-file",
            logs.resolve("credentials-one").toString());
    start(
        "two",
        "vigia-agent",
        "--collector",
        "127.0.0.1:" + port,
        "--interval",
        "1s",
        "--id",
        "two",
        "--spool-dir",
        logs.resolve("spool-two").toString(),
        "--credentials-file",
        logs.resolve("credentials-two").toString());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                agents(url).values().stream().filter(a -> a.get("samples").getAsInt() >= 2).count()
                    == 2);

    Map<String, JsonObject> agents = agents(url);
    for (JsonObject agent : agents.values()) {
      assertThat(agent.get("state").getAsString()).isEqualTo("CONNECTED");
      assertThat(agent.get("cores").getAsInt())
          .isEqualTo(Runtime.getRuntime().availableProcessors());
      assertThat(agent.get("cpuPercent").getAsDouble()).isBetween(0.0, 100.0);
    }

    one.destroy(); // SIGTERM
    assertThat(one.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(one.exitValue()).as("agent exit code after SIGTERM").isZero();
    JsonObject left = agents(url).get("one");
    assertThat(left.get("state").getAsString()).isEqualTo("LEFT");
    assertThat(left.get("samples").getAsInt()).isGreaterThanOrEqualTo(2);
    assertThat(agents(url).get("two").get("state").getAsString()).isEqualTo("CONNECTED");

    collector.destroy();
    assertThat(collector.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(collector.exitValue()).as("collector exit code after SIGTERM").isZero();
    assertThat(Files.readString(logs.resolve("collector.log")))
        .contains("Agent one (")
        .contains("Agent two (")
        .contains("Agent one left (said Goodbye); 1 host connected");
  }

  @Test
  void agentsCommandSaysWhatToDoWhenTheCollectorIsDown() throws Exception {
    Result result = vigia("agents", "--url", "http://127.0.0.1:" + freePort());

    assertThat(result.exit).isEqualTo(2);
    assertThat(result.err.lines()).hasSize(1);
    assertThat(result.err).startsWith("vigia: cannot reach the collector at http://127.0.0.1:");
    assertThat(result.err).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private Process start(String name, String script, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(SCRIPTS.resolve(script).toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(logs.resolve(name + ".log").toFile())
            .start();
    processes.add(process);
    return process;
  }

  private record Result(int exit, String out, String err) {}

  private Result vigia(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(SCRIPTS.resolve("vigia").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), out, err);
  }

  private Map<String, JsonObject> agents(String url) throws Exception {
    Result result = vigia("agents", "--json", "--url", url);
    assertThat(result.exit).as(result.err).isZero();
    JsonArray array = JsonParser.parseString(result.out).getAsJsonArray();
    Map<String, JsonObject> byId = new HashMap<>();
    for (JsonElement element : array) {
      byId.put(element.getAsJsonObject().get("id").getAsString(), element.getAsJsonObject());
    }
    return byId;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
