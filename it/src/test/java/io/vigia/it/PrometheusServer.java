package io.vigia.it;

import static org.awaitility.Awaitility.await;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Prometheus server on a loopback port, with its own data folder, as the tests start it;
 * and its query API.
 */
final class PrometheusServer implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final int port;

  private PrometheusServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** A port free now: Prometheus does not report the one it bound. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Starts Prometheus with {@code config} on {@code port}, accepting remote write, and waits until
   * it is ready.
   */
  static PrometheusServer startWithRemoteWrite(Path config, Path dir, int port) throws IOException {
    Path binary = ExternalTool.require("prometheus", "prometheus");
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--config.file=" + config);
    command.add("--storage.tsdb.path=" + dir.resolve("data-" + port));
    command.add("--web.listen-address=127.0.0.1:" + port);
    command.add("--web.enable-remote-write-receiver");
    command.add("--log.level=warn");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus-" + port + ".log").toFile())
            .start();
    PrometheusServer server = new PrometheusServer(process, port);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> server.get("/-/ready").statusCode() == 200);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Where collectors push: {@code http://127.0.0.1:PORT/api/v1/write}. */
  URI remoteWriteUrl() {
    return URI.create("http://127.0.0.1:" + port + "/api/v1/write");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The result vector of an instant query now; empty on an error answer. */
  JsonArray query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> response =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      return new JsonArray();
    }
    JsonObject body = JsonParser.parseString(response.body()).getAsJsonObject();
    return body.getAsJsonObject("data").getAsJsonArray("result");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
