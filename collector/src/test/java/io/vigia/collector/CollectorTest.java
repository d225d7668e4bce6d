package io.vigia.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vigia.codec.Protocol;
import io.vigia.collector.registry.LinkState;
import io.vigia.proto.CpuSample;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/**
 * The collector on loopback ports, spoken to the way an agent and an HTTP client do: the real
 * pipelines, end to end. Reads block until the collector answers; the socket timeout only keeps a
 * broken build from hanging.
 */
class CollectorTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final int MAX_FRAME_BYTES = 1 << 20;

  private static CollectorConfig settings(InetSocketAddress listen) {
    return CollectorConfig.builder()
        .listen(listen)
        .http(new InetSocketAddress("127.0.0.1", 0))
        .history(10)
        .maxFrameBytes(MAX_FRAME_BYTES)
        .build();
  }

  private static Collector start() {
    return Collector.start(
        settings(new InetSocketAddress("127.0.0.1", 0)), InstantSource.fixed(T0));
  }

  /** A raw agent link: length-prefixed frames over a plain socket. */
  private static final class RawLink implements AutoCloseable {
    private final Socket socket;
    private final DataOutputStream out;
    private final DataInputStream in;

    RawLink(InetSocketAddress to) throws IOException {
      socket = new Socket(to.getAddress(), to.getPort());
      socket.setSoTimeout(30_000);
      out = new DataOutputStream(socket.getOutputStream());
      in = new DataInputStream(socket.getInputStream());
    }

    void send(Frame frame) throws IOException {
      byte[] body = frame.toByteArray();
      out.writeInt(body.length);
      out.write(body);
      out.flush();
    }

    void sendLengthPrefix(int length) throws IOException {
      out.writeInt(length);
      out.flush();
    }

    Frame receive() throws IOException {
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      return Frame.parseFrom(body);
    }

    boolean closedByPeer() throws IOException {
      return in.read() == -1;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static Frame hello(String id, int cores) {
    return Frame.newBuilder()
        .setHello(
            Hello.newBuilder()
                .setProtocolVersion(Protocol.VERSION)
                .setAgentId(id)
                .setHostname(id + ".example.org")
                .setOs("Linux")
                .setCores(cores)
                .setAgentVersion("0.1.0")
                .setEpoch(99)
                .setIntervalMs(1000))
        .build();
  }

  private static Frame snapshot(long seq, int busy) {
    return Frame.newBuilder()
        .setSnapshot(
            Snapshot.newBuilder()
                .setSeq(seq)
                .setTimeMs(T0.plusSeconds(seq).toEpochMilli())
                .setIntervalMs(1000)
                .setCpu(
                    CpuSample.newBuilder()
                        .setBusy(busy)
                        .addCoreBusy(busy)
                        .addCoreBusy(busy)
                        .setIdle(1000 - busy)))
        .build();
  }

  private static HttpResponse<String> httpGet(Collector collector, String path)
      throws IOException, InterruptedException {
    URI uri = URI.create("http://127.0.0.1:" + collector.httpAddress().getPort() + path);
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAgentsSnapshotsAreAckedAndServedOverHttp() throws Exception {
    try (Collector collector = start();
        RawLink agent = new RawLink(collector.ingestAddress())) {
      agent.send(hello("web-1", 2));
      assertThat(agent.receive().getWelcome().getLastStoredSeq()).isZero();

      agent.send(snapshot(1, 100));
      agent.send(snapshot(2, 250));
      agent.send(snapshot(3, 417));
      long acked = 0;
      while (acked < 3) {
        Frame frame = agent.receive();
        assertThat(frame.hasAck()).as("an Ack, not %s", frame).isTrue();
        acked = frame.getAck().getSeq();
      }

      HttpResponse<String> response = httpGet(collector, "/api/v1/agents/web-1");
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject web = JsonParser.parseString(response.body()).getAsJsonObject();
      assertThat(web.get("state").getAsString()).isEqualTo("CONNECTED");
      assertThat(web.get("samples").getAsInt()).isEqualTo(3);
      assertThat(web.get("cpuPercent").getAsDouble()).isEqualTo(41.7);
      assertThat(web.get("address").getAsString()).startsWith("127.0.0.1:");
      assertThat(collector.registry().host("web-1").orElseThrow().state())
          .isEqualTo(LinkState.CONNECTED);
    }
  }

  @Test
  void anOversizedFrameIsAnsweredWithFrameTooLargeAndTheLinkClosed() throws Exception {
    try (Collector collector = start();
        RawLink agent = new RawLink(collector.ingestAddress())) {
      agent.sendLengthPrefix(0x7FFFFFFF);

      Frame error = agent.receive();
      assertThat(error.getError().getCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
      assertThat(agent.closedByPeer()).isTrue();
      assertThat(collector.registry().hosts()).isEmpty();
    }
  }

  @Test
  void oneBadLinkDoesNotDisturbAnother() throws Exception {
    try (Collector collector = start();
        RawLink good = new RawLink(collector.ingestAddress());
        RawLink bad = new RawLink(collector.ingestAddress())) {
      good.send(hello("web-1", 2));
      good.receive();

      bad.sendLengthPrefix(0x7FFFFFFF);
      bad.receive();
      assertThat(bad.closedByPeer()).isTrue();

      good.send(snapshot(1, 100));
      assertThat(good.receive().getAck().getSeq()).isEqualTo(1);
    }
  }

  @Test
  void aPortInUseFailsToStartNamingThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetSocketAddress busy = new InetSocketAddress("127.0.0.1", taken.getLocalPort());

      assertThatThrownBy(() -> Collector.start(settings(busy), InstantSource.fixed(T0)))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot listen for agent on 127.0.0.1:" + busy.getPort());
    }
  }

  @Test
  void closeIsIdempotent() {
    Collector collector = start();

    collector.close();
    collector.close();

    assertThatThrownBy(() -> new Socket("127.0.0.1", collector.ingestAddress().getPort()).close())
        .isInstanceOf(IOException.class);
  }

  @Test
  void settingsRejectAnEmptyHistory() {
    assertThatThrownBy(() -> CollectorConfig.builder().history(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("history");
  }
}
