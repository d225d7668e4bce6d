package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.SslContext;
import io.vigia.agent.Agent;
import io.vigia.agent.AgentConfig;
import io.vigia.agent.link.AgentCredentials;
import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfigBuilder;
import io.vigia.collector.cli.VigiaCommand;
import io.vigia.collector.ingest.AgentTls;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.store.FsyncPolicy;
import io.vigia.collector.store.StoreConfig;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each agent proves the id it claims, over real sockets with real certificates: impostors holding
 * the fleet token, another agent's certificate or a superseded credential are refused and counted
 * while the real agent stays connected with its history unchanged; a revoked agent is closed within
 * 5 s; a rebuilt machine is refused until an operator resets its pin.
 */
class IdentityTest {

  private static final String TOKEN = "identity-fleet-token";

  @TempDir Path dir;

  private static CollectorConfigBuilder config() {
    return Fleet.fastConfig().agentToken(TOKEN);
  }

  private static AgentConfig agentConfig(
      String id, InetSocketAddress collector, SslContext tls, AgentCredentials credentials) {
    return new AgentConfig(
        List.of(collector),
        Fleet.MANUAL,
        id,
        TOKEN,
        AgentConfig.DEFAULT_SPOOL_SPAN,
        AgentConfig.DEFAULT_SPOOL_BYTES,
        Duration.ofSeconds(2),
        AgentConfig.DEFAULT_PRIMARY_CHECK,
        tls,
        null,
        credentials);
  }

  /** Starts agent {@code id} keeping its credentials in {@code state}; waits until it is acked. */
  private static Agent enrolled(Fleet fleet, Collector collector, String id, Path state)
      throws Exception {
    Agent agent =
        fleet.agent(
            agentConfig(
                id,
                collector.ingestAddress(),
                null,
                AgentCredentials.inFile(state.resolve("credentials"))),
            2,
            150);
    Fleet.sample(agent, 3);
    await().atMost(Duration.ofSeconds(15)).until(() -> agent.ackedUpTo() >= 3);
    await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(state.resolve("credentials")));
    return agent;
  }

  private static String credentialIn(Path state) throws Exception {
    List<String> lines = Files.readAllLines(state.resolve("credentials"));
    return lines.get(lines.size() - 1).split(" ")[2];
  }

  /** A hand-made client saying Hello as {@code id} with {@code credential}; returns the answer. */
  private static Frame impostor(Collector collector, String id, String credential)
      throws Exception {
    try (RawAgent raw = new RawAgent(collector.ingestAddress())) {
      Hello hello =
          RawAgent.hello(id, 64, 99).getHello().toBuilder()
              .setHostname("impostor")
              .setToken(TOKEN)
              .setKeepsCredential(true)
              .setCredential(credential)
              .build();
      List<Frame> frames = new ArrayList<>();
      frames.add(Frame.newBuilder().setHello(hello).build());
      for (long seq = 1; seq <= 3; seq++) {
        frames.add(RawAgent.snapshot(seq, 64));
      }
      raw.writeAtOnce(RawAgent.wire(frames.toArray(Frame[]::new)));
      return raw.read();
    }
  }

  private static long rejected(Collector collector, ErrorCode code) {
    return collector.metrics().rejections().getOrDefault(code.name().toLowerCase(), 0L);
  }

  /** What the collector holds of {@code id}, to compare before and after an attack. */
  private record Held(String hostname, int links, List<StoredSample> history) {
    static Held of(Collector collector, String id) {
      HostView host = collector.registry().host(id).orElseThrow();
      return new Held(
          host.identity().hostname(),
          host.delivery().links(),
          collector.registry().history(id, 10_000).orElseThrow());
    }
  }

  private static String vigia(Collector collector, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", "http://127.0.0.1:" + collector.httpAddress().getPort()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var command = VigiaCommand.commandLine();
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(err));
    int exit = command.execute(all.toArray(String[]::new));
    assertThat(exit).as(err.toString()).isZero();
    return out.toString();
  }

  @Test
  void anImpostorWithTheFleetTokenCannotReportAsAnEnrolledAgent() throws Exception {
    try (Fleet fleet = Fleet.withCollector(config())) {
      Collector collector = fleet.collector();
      Agent real = enrolled(fleet, collector, "web-1", dir);
      Held before = Held.of(collector, "web-1");

      Frame none = impostor(collector, "web-1", "");
      Frame guess = impostor(collector, "web-1", "bm90LXRoZS1jcmVkZW50aWFs");
      assertThat(none.getError().getCode()).isEqualTo(ErrorCode.BAD_CREDENTIAL);
      assertThat(none.getError().getMessage()).contains("vigia pins reset web-1");
      assertThat(guess.getError().getCode()).isEqualTo(ErrorCode.BAD_CREDENTIAL);
      // An impostor posing as an older agent, which keeps no credential, fares no better.
      try (RawAgent raw = new RawAgent(collector.ingestAddress())) {
        Frame hello =
            Frame.newBuilder()
                .setHello(RawAgent.hello("web-1", 64, 98).getHello().toBuilder().setToken(TOKEN))
                .build();
        raw.writeAtOnce(RawAgent.wire(hello, RawAgent.snapshot(1, 64)));
        assertThat(raw.read().getError().getCode()).isEqualTo(ErrorCode.BAD_CREDENTIAL);
      }

      assertThat(rejected(collector, ErrorCode.BAD_CREDENTIAL)).isEqualTo(3);
      assertThat(real.connected()).isTrue();
      assertThat(Held.of(collector, "web-1")).isEqualTo(before);
      assertThat(rejected(collector, ErrorCode.REPLACED)).isZero();
      // The real agent goes on as before.
      Fleet.sample(real, 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> real.ackedUpTo() >= 4);
      assertThat(Held.of(collector, "web-1").links()).isEqualTo(1);
    }
  }

  @Test
  void anotherAgentsCertificateDoesNotMakeItThatAgent(@TempDir Path certs) throws Exception {
    ExternalTool.require("openssl", "openssl");
    Path script = ExternalTool.checkout().resolve("scripts/make-certs");
    Process made =
        new ProcessBuilder(
                script.toString(),
                certs.toString(),
                "--collector",
                "127.0.0.1",
                "--agent",
                "web-1",
                "--agent",
                "web-2")
            .redirectErrorStream(true)
            .start();
    String output = new String(made.getInputStream().readAllBytes());
    assertThat(made.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(made.exitValue()).as(output).isZero();
    SslContext server =
        AgentTls.server(
            certs.resolve("collector-127.0.0.1.crt"),
            certs.resolve("collector-127.0.0.1.key"),
            certs.resolve("ca.crt"));
    try (Fleet fleet = Fleet.withCollector(config().agentTls(server))) {
      Collector collector = fleet.collector();
      Agent real =
          fleet.agent(
              agentConfig(
                  "web-1",
                  collector.ingestAddress(),
                  TlsTest.agentTls(certs, "web-1"),
                  AgentCredentials.inMemory()),
              2,
              150);
      Fleet.sample(real, 3);
      await().atMost(Duration.ofSeconds(15)).until(() -> real.ackedUpTo() >= 3);
      Held before = Held.of(collector, "web-1");

      // web-2's holder, with the fleet token, claims web-1.
      Agent impostor =
          fleet.agent(
              agentConfig(
                  "web-1",
                  collector.ingestAddress(),
                  TlsTest.agentTls(certs, "web-2"),
                  AgentCredentials.inMemory()),
              64,
              999);
      Fleet.sample(impostor, 3);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> rejected(collector, ErrorCode.CERTIFICATE_MISMATCH) >= 2);
      impostor.close();

      assertThat(impostor.connected()).isFalse();
      assertThat(real.connected()).isTrue();
      assertThat(Held.of(collector, "web-1")).isEqualTo(before);
      assertThat(vigia(collector, "pins"))
          .contains("web-1")
          .contains("certificate")
          .contains("connected");
    }
  }

  @Test
  void aRevokedAgentIsClosedWithinFiveSecondsAndASupersededCredentialIsRefused() throws Exception {
    try (Fleet fleet = Fleet.withCollector(config())) {
      Collector collector = fleet.collector();
      Agent agent = enrolled(fleet, collector, "web-1", dir);
      String first = credentialIn(dir);

      long revokedAt = System.nanoTime();
      assertThat(vigia(collector, "pins", "revoke", "web-1")).contains("revoked");
      await().atMost(Duration.ofSeconds(5)).until(() -> !agent.connected());
      assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(5));
      assertThat(collector.registry().host("web-1").orElseThrow().state().name()).isEqualTo("LOST");
      // Its retries are refused, whatever it presents.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> rejected(collector, ErrorCode.AGENT_REVOKED) >= 2);
      assertThat(impostor(collector, "web-1", first).getError().getCode())
          .isEqualTo(ErrorCode.AGENT_REVOKED);
      assertThat(vigia(collector, "pins")).contains("revoked");

      // Let it back: it enrolls again with a new credential, and the old one is worth nothing.
      vigia(collector, "pins", "reset", "web-1");
      await().atMost(Duration.ofSeconds(20)).until(agent::connected);
      await().atMost(Duration.ofSeconds(5)).until(() -> !credentialIn(dir).equals(first));
      Fleet.sample(agent, 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> agent.ackedUpTo() >= 4);
      Held before = Held.of(collector, "web-1");
      assertThat(impostor(collector, "web-1", first).getError().getCode())
          .isEqualTo(ErrorCode.BAD_CREDENTIAL);
      assertThat(agent.connected()).isTrue();
      assertThat(Held.of(collector, "web-1")).isEqualTo(before);
    }
  }

  @Test
  void aRebuiltMachineIsRefusedUntilItsPinIsResetAndPinsOutliveARestart() throws Exception {
    Path data = dir.resolve("data");
    Path state = dir.resolve("agent-state");
    int port;
    CollectorConfigBuilder durable = config().store(StoreConfig.onDisk(data, FsyncPolicy.BATCH));
    try (Fleet fleet = Fleet.withCollector(durable)) {
      port = fleet.collector().ingestAddress().getPort();
      enrolled(fleet, fleet.collector(), "db-1", state);
    }
    assertThat(Files.readString(data.resolve(Collector.PINS_FILE))).contains("db-1");

    try (Fleet fleet = Fleet.withCollector(durable.listen(Fleet.loopback(port)))) {
      Collector collector = fleet.collector();
      // The same machine, restarted, is let in with the credential it kept.
      Agent same = enrolled(fleet, collector, "db-1", state);
      same.close();
      await().atMost(Duration.ofSeconds(5)).until(() -> !same.connected());

      // Rebuilt: its state directory is gone.
      Path rebuilt = dir.resolve("rebuilt-state");
      Agent fresh =
          fleet.agent(
              agentConfig(
                  "db-1",
                  collector.ingestAddress(),
                  null,
                  AgentCredentials.inFile(rebuilt.resolve("credentials"))),
              2,
              150);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> rejected(collector, ErrorCode.BAD_CREDENTIAL) >= 1);
      assertThat(fresh.connected()).isFalse();

      String listed = vigia(collector, "pins");
      assertThat(listed.lines()).allMatch(line -> line.length() <= 80);
      assertThat(listed).contains("db-1").contains("credential").contains("enrolled");
      assertThat(vigia(collector, "pins", "--json")).contains("\"id\": \"db-1\"");

      vigia(collector, "pins", "reset", "db-1");
      await().atMost(Duration.ofSeconds(20)).until(fresh::connected);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> Files.exists(rebuilt.resolve("credentials")));
      Fleet.sample(fresh, 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> fresh.ackedUpTo() >= 1);
    }
  }

  @Test
  void changingAPinNeedsTheHttpTokenAndAJsonRequest() throws Exception {
    try (Fleet fleet = Fleet.withCollector(config().httpToken("http-secret"))) {
      Collector collector = fleet.collector();
      HttpClient http = HttpClient.newHttpClient();
      URI revoke =
          URI.create(
              "http://127.0.0.1:" + collector.httpAddress().getPort() + "/api/v1/pins/x/revoke");
      HttpRequest.Builder post =
          HttpRequest.newBuilder(revoke).POST(HttpRequest.BodyPublishers.ofString("{}"));
      assertThat(
              http.send(
                      post.copy().header("Content-Type", "application/json").build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(401);
      HttpResponse<String> plain =
          http.send(
              post.copy()
                  .header("Authorization", "Bearer http-secret")
                  .header("Content-Type", "text/plain")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(plain.statusCode()).isEqualTo(415);
      assertThat(plain.body()).contains("application/json");
      assertThat(collector.pins().list()).isEmpty();
      HttpResponse<String> done =
          http.send(
              post.copy()
                  .header("Authorization", "Bearer http-secret")
                  .header("Content-Type", "application/json")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(done.statusCode()).isEqualTo(200);
      assertThat(done.body()).contains("\"state\":\"revoked\"");
      assertThat(collector.pins().list()).singleElement().matches(s -> s.pin().id().equals("x"));
    }
  }
}
