package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.vigia.agent.Agent;
import io.vigia.agent.AgentConfig;
import io.vigia.agent.link.CollectorTls;
import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfig;
import io.vigia.collector.ingest.AgentTls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agents over mutual TLS with certificates from {@code scripts/make-certs}: the fleet's agents
 * stream through it, while TLS clients with an unknown certificate, without one, or speaking plain
 * TCP are turned away at the handshake and counted.
 */
class TlsTest {

  private static final Logger log = LoggerFactory.getLogger(TlsTest.class);
  private static final String TOKEN = "tls-fleet-token";
  private static final int FLEET = 20;

  @TempDir static Path certs;
  @TempDir static Path rogue;

  @BeforeAll
  static void makeCertificates() throws Exception {
    ExternalTool.require("openssl", "openssl");
    Path script = ExternalTool.checkout().resolve("scripts/make-certs");
    List<String> args = new ArrayList<>(List.of("--collector", "127.0.0.1,localhost"));
    // Each agent's certificate names its id: the collector accepts an id only from its own.
    for (int i = 0; i < FLEET; i++) {
      args.addAll(List.of("--agent", "tls-" + i));
    }
    run(script, certs, args.toArray(String[]::new));
    run(script, certs, "--collector", "elsewhere.example");
    run(script, rogue, "--collector", "127.0.0.1", "--agent", "intruder");
  }

  private static void run(Path script, Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(script.toString(), dir.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static Collector collector(String certName) throws IOException {
    return Fleet.startCollector(
        CollectorConfig.builder()
            .listen(Fleet.loopback(0))
            .http(Fleet.loopback(0))
            .history(10_000)
            .helloTimeout(Duration.ofSeconds(2))
            .idleTimeout(Duration.ofSeconds(5))
            .heartbeatEvery(Duration.ofMillis(500))
            .agentToken(TOKEN)
            .agentTls(
                AgentTls.server(
                    certs.resolve("collector-" + certName + ".crt"),
                    certs.resolve("collector-" + certName + ".key"),
                    certs.resolve("ca.crt"))));
  }

  private static AgentConfig config(String id, InetSocketAddress collector, SslContext tls) {
    return AgentConfig.builder()
        .collector(collector)
        .interval(Duration.ofMillis(200))
        .id(id)
        .token(TOKEN)
        .idleTimeout(Duration.ofSeconds(2))
        .tls(tls)
        .build();
  }

  /** The client side of agent {@code id}, with its own certificate. */
  static SslContext agentTls(Path certs, String id) throws IOException {
    return CollectorTls.client(
        certs.resolve("ca.crt"),
        certs.resolve("agent-" + id + ".crt"),
        certs.resolve("agent-" + id + ".key"));
  }

  @Test
  void fleetAgentsStreamOverMutualTlsWhileStrangersAreTurnedAway() throws Exception {
    try (Collector collector = collector("127.0.0.1");
        Fleet fleet = new Fleet()) {
      List<Agent> agents = new ArrayList<>();
      for (int i = 0; i < FLEET; i++) {
        agents.add(
            fleet.agent(
                config("tls-" + i, collector.ingestAddress(), agentTls(certs, "tls-" + i)),
                2,
                100));
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> agents.stream().allMatch(a -> a.connected() && a.ackedUpTo() >= 3));

      long before = collector.metrics().rejections().get("tls_handshake_failed");
      List<SslContext> strangers = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        // Signed by another CA; then no certificate at all.
        strangers.add(
            CollectorTls.client(
                rogue.resolve("ca.crt"),
                rogue.resolve("agent-intruder.crt"),
                rogue.resolve("agent-intruder.key")));
        strangers.add(CollectorTls.client(certs.resolve("ca.crt"), null, null));
      }
      EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
      try {
        for (SslContext stranger : strangers) {
          // Trusting the collector does not help without a certificate it trusts.
          assertClosedByTheCollector(group, stranger, collector.ingestAddress());
        }
      } finally {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
      }
      // Plain TCP on the TLS port: a Hello in the clear.
      for (int i = 0; i < 10; i++) {
        try (Socket socket = new Socket()) {
          socket.setSoTimeout(10_000);
          socket.connect(collector.ingestAddress());
          OutputStream out = socket.getOutputStream();
          out.write(RawAgent.wire(RawAgent.hello("plain-" + i, 2, 1)));
          out.flush();
          assertThat(socket.getInputStream().readAllBytes()).hasSizeLessThan(64);
        }
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> collector.metrics().rejections().get("tls_handshake_failed") - before == 30);
      assertThat(collector.registry().hosts())
          .extracting(host -> host.id())
          .allMatch(id -> id.startsWith("tls-"));

      FaultsTest.assertEveryProducedSampleStoredOnceInOrder(
          agents, new ApiClient("http://127.0.0.1:" + collector.httpAddress().getPort()), Map.of());
      log.info(
          "TLS: 20 fleet agents lost nothing; 30 strangers rejected: {}",
          collector.metrics().rejections());
    }
  }

  @Test
  void anAgentRefusesACollectorWhoseCertificateNamesAnotherHost() throws Exception {
    try (Collector collector = collector("elsewhere.example");
        Fleet fleet = new Fleet()) {
      Agent agent =
          fleet.agent(config("tls-0", collector.ingestAddress(), agentTls(certs, "tls-0")), 2, 100);
      Fleet.sample(agent, 1);
      // The collector is reachable and signed by the right CA, but is not 127.0.0.1.
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !agent.connected() && collector.registry().hosts().isEmpty());
    }
  }

  @Test
  void anAgentRefusesACollectorSignedByAnotherCa() throws Exception {
    try (Collector collector = collector("127.0.0.1");
        Fleet fleet = new Fleet()) {
      SslContext trustsTheWrongCa =
          CollectorTls.client(
              rogue.resolve("ca.crt"),
              certs.resolve("agent-tls-0.crt"),
              certs.resolve("agent-tls-0.key"));
      Agent agent =
          fleet.agent(config("tls-0", collector.ingestAddress(), trustsTheWrongCa), 2, 100);
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(5))
          .until(() -> !agent.connected() && collector.registry().hosts().isEmpty());
    }
  }

  private static void assertClosedByTheCollector(
      EventLoopGroup group, SslContext tls, InetSocketAddress collector) throws Exception {
    Channel ch =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(tls.newHandler(ch.alloc(), "127.0.0.1", collector.getPort()))
                        .addLast(
                            new io.netty.channel.ChannelInboundHandlerAdapter() {
                              @Override
                              public void exceptionCaught(
                                  io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
                                // The expected handshake failure; the close is what is checked.
                                ctx.close();
                              }
                            });
                  }
                })
            .connect(collector)
            .sync()
            .channel();
    assertThat(ch.closeFuture().await(10, TimeUnit.SECONDS))
        .as("the collector closes a link without a trusted certificate")
        .isTrue();
  }
}
