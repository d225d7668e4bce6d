package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.vigia.agent.Agent;
import io.vigia.collector.Collector;
import io.vigia.collector.remotewrite.ReceiverStatus;
import io.vigia.collector.remotewrite.RemoteWriteSettings;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote write to an https receiver whose certificate comes from a private CA ({@code
 * scripts/make-certs}): trusted through {@code --remote-write-ca-file}, refused without it.
 */
class RemoteWriteTlsTest {

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path certs;

  private final Fleet fleet = new Fleet();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final AtomicInteger cpuSeriesSamples = new AtomicInteger();
  private HttpsServer receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    ExternalTool.require("openssl", "openssl");
    Process make =
        new ProcessBuilder(
                ExternalTool.checkout().resolve("scripts/make-certs").toString(),
                certs.toString(),
                "--collector",
                "localhost")
            .redirectErrorStream(true)
            .start();
    String output = new String(make.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(make.exitValue()).as(output).isZero();

    receiver = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setHttpsConfigurator(
        new HttpsConfigurator(
            serverContext(
                certs.resolve("collector-localhost.crt"),
                certs.resolve("collector-localhost.key"))));
    receiver.createContext(
        "/api/v1/write",
        WriteRequestBodies.accepting("vigia_host_cpu_utilisation_ratio", cpuSeriesSamples));
    receiver.start();
    toClose.add(() -> receiver.stop(0));
  }

  @AfterEach
  void stopAll() throws Exception {
    fleet.close();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  /**
   * A server TLS context from a PEM certificate and its PKCS #8 EC key (what make-certs writes).
   */
  private static SSLContext serverContext(Path cert, Path key) throws Exception {
    String pem = Files.readString(key);
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    PrivateKey privateKey =
        KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    Certificate certificate;
    try (InputStream in = Files.newInputStream(cert)) {
      certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("receiver", privateKey, new char[0], new Certificate[] {certificate});
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private Collector collectorPushingTo(Path caFile) {
    URI url = URI.create("https://localhost:" + receiver.getAddress().getPort() + "/api/v1/write");
    Collector collector =
        Fleet.startCollector(
            new RemoteWriteSettings(
                List.of(url), RemoteWriteSettings.Auth.NONE, 10_000, 10, caFile));
    toClose.add(collector);
    return collector;
  }

  @Test
  void aReceiverWithACertificateOfAPrivateCaGetsTheSamplesWhenGivenTheCaFile() throws Exception {
    Collector collector = collectorPushingTo(certs.resolve("ca.crt"));
    Agent agent =
        fleet.agent(
            Fleet.streamingConfig(
                "vault", List.of(collector.ingestAddress()), Duration.ofMillis(200)),
            2,
            300);

    await().atMost(PATIENCE).until(() -> collector.remoteWrite().status().get(0).sent() >= 5);
    agent.close();
    ReceiverStatus status = collector.remoteWrite().status().get(0);
    await().atMost(PATIENCE).until(() -> collector.remoteWrite().status().get(0).queued() == 0);
    assertThat(status.lastError()).isEmpty();
    // Two cores a sample: every sample sent reached the receiver over TLS.
    assertThat(cpuSeriesSamples.get())
        .isEqualTo(2 * (int) collector.remoteWrite().status().get(0).sent());
  }

  @Test
  void withoutTheCaFileTheSystemsCasRefuseTheReceiversCertificate() throws Exception {
    Collector collector = collectorPushingTo(null);
    fleet.agent(
        Fleet.streamingConfig("vault", List.of(collector.ingestAddress()), Duration.ofMillis(200)),
        2,
        300);

    await().atMost(PATIENCE).until(() -> collector.remoteWrite().status().get(0).retried() > 0);
    ReceiverStatus status = collector.remoteWrite().status().get(0);
    assertThat(status.sent()).isZero();
    assertThat(status.lastError()).contains("--remote-write-ca-file");
    assertThat(cpuSeriesSamples.get()).isZero();
  }
}
