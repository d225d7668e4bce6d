package io.vigia.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A collector as a separate process, started with the shipped launcher {@code
 * scripts/vigia-collector} on fixed ports, so a test can kill it with SIGKILL and start it again
 * where agents expect it, on the same data directory (its own beside its log, unless the arguments
 * name one or say {@code --in-memory}).
 */
final class CollectorProcess implements AutoCloseable {

  static final Path SCRIPTS = Path.of(System.getProperty("user.dir"), "..", "scripts");

  private final int port;
  private final int httpPort;
  private final Path log;
  private final List<String> extraArgs;
  private Process process;

  CollectorProcess(Path log, String... extraArgs) throws IOException {
    this.port = freePort();
    this.httpPort = freePort();
    this.log = log;
    this.extraArgs = List.of(extraArgs);
  }

  int port() {
    return port;
  }

  String apiUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** Starts the process and waits until its API answers. */
  CollectorProcess start() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(SCRIPTS.resolve("vigia-collector").toString());
    command.addAll(List.of("--listen", "127.0.0.1:" + port, "--http", "127.0.0.1:" + httpPort));
    if (!extraArgs.contains("--data-dir") && !extraArgs.contains("--in-memory")) {
      // Its own, beside its log, kept across restarts: never the user's default directory.
      command.addAll(List.of("--data-dir", log.resolveSibling("data-" + port).toString()));
    }
    command.addAll(extraArgs);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    ApiClient api = new ApiClient(apiUrl());
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> api.get("/api/v1/agents").statusCode() == 200);
    return this;
  }

  /** SIGKILL: no Goodbye, no flush, memory gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
