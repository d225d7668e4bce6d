package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigia.codec.Protocol;
import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfig;
import io.vigia.proto.CpuSample;
import io.vigia.proto.FileSystemSample;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.MemorySample;
import io.vigia.proto.Snapshot;
import io.vigia.proto.SystemSample;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import picocli.CommandLine;

/**
 * Whatever values an agent sends, once the collector took them no reader fails: every API route,
 * the live stream, {@code /metrics} and {@code vigia show} / {@code history} answer for that host.
 * One real collector on loopback; each try is a new agent with one arbitrary snapshot (times and
 * figures anywhere in their wire types' ranges, or near now so that they are stored).
 */
class ReadersSurviveAnyValueTest {

  private static Collector collector;
  private static final AtomicInteger HOSTS = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static synchronized Collector collector() {
    if (collector == null) {
      collector =
          Collector.start(
              CollectorConfig.builder()
                  .listen(new InetSocketAddress("127.0.0.1", 0))
                  .http(new InetSocketAddress("127.0.0.1", 0))
                  .history(10)
                  .build(),
              InstantSource.system());
    }
    return collector;
  }

  @AfterContainer
  static void stop() {
    if (collector != null) {
      collector.close();
      collector = null;
    }
  }

  // Each value is mostly within what the collector stores (extremes included), sometimes anywhere
  // in its wire type: a try is then stored often enough, and refused otherwise.
  private static <T> Arbitrary<T> mostly(Arbitrary<T> stored, Arbitrary<T> anything) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, stored), net.jqwik.api.Tuple.of(1, anything));
  }

  @Provide
  Arbitrary<Long> times() {
    long now = System.currentTimeMillis();
    return mostly(
        Arbitraries.longs().between(now - 8 * 86_400_000L, now + 600_000),
        Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE)));
  }

  @Provide
  Arbitrary<Long> skews() {
    return mostly(
        Arbitraries.longs().between(-7 * 86_400_000L, 120_000),
        Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(-(1L << 62), Long.MAX_VALUE)));
  }

  @Provide
  Arbitrary<Long> seqs() {
    return mostly(Arbitraries.longs().between(1, 100), Arbitraries.longs());
  }

  @Provide
  Arbitrary<Long> sizes() {
    return mostly(
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(0L, Long.MAX_VALUE)),
        Arbitraries.longs());
  }

  @Provide
  Arbitrary<Integer> intervals() {
    return mostly(
        Arbitraries.oneOf(Arbitraries.integers().between(1, 100_000), Arbitraries.of(1)),
        Arbitraries.integers());
  }

  @Provide
  Arbitrary<Integer> perMille() {
    return mostly(
        Arbitraries.oneOf(Arbitraries.integers().between(0, 1000), Arbitraries.of(0, 1000)),
        Arbitraries.integers());
  }

  @Provide
  Arbitrary<Integer> counts() {
    return mostly(
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, Integer.MAX_VALUE),
            Arbitraries.of(Integer.MAX_VALUE)),
        Arbitraries.integers());
  }

  @Property(tries = 100)
  void noReaderFailsOnWhatTheCollectorTook(
      @ForAll("times") long time,
      @ForAll("skews") long skew,
      @ForAll("seqs") long seq,
      @ForAll("intervals") int interval,
      @ForAll("perMille") int busy,
      @ForAll("perMille") int core,
      @ForAll("sizes") long memory,
      @ForAll("sizes") long size,
      @ForAll("counts") int load,
      @ForAll boolean compact)
      throws Exception {
    Collector c = collector();
    String id = "p-" + HOSTS.incrementAndGet();
    long now = System.currentTimeMillis();
    Hello.Builder hello =
        Hello.newBuilder()
            .setProtocolVersion(Protocol.BASE_VERSION)
            .setMaxProtocolVersion(Protocol.VERSION)
            .setAgentId(id)
            .setHostname(id)
            .setOs("os")
            .setCores(2)
            .setAgentVersion("x")
            .setEpoch(1 + HOSTS.get())
            .setIntervalMs(1000)
            .setTimeBaseMs(now - 60_000);
    Snapshot.Builder snapshot =
        Snapshot.newBuilder()
            .setSeq(seq)
            .setCpu(
                CpuSample.newBuilder()
                    .setBusy(busy)
                    .addCoreBusy(core)
                    .addCoreBusy(busy)
                    .setIdle(core))
            .setMemory(MemorySample.newBuilder().setTotalBytes(memory).setAvailableBytes(size))
            .setSystem(SystemSample.newBuilder().setLoad1X100(load).setUptimeSeconds(size))
            .addFileSystems(
                FileSystemSample.newBuilder()
                    .setMount("/")
                    .setDevice("d")
                    .setType("ext4")
                    .setSizeBytes(size)
                    .setUsedBytes(memory)
                    .setFreeBytes(size));
    if (compact) {
      snapshot.setTimeSkewMs(skew).setIntervalSkewMs(interval - 1000);
    } else {
      snapshot.setTimeMs(time).setIntervalMs(interval);
    }
    send(
        c,
        Frame.newBuilder().setHello(hello).build(),
        Frame.newBuilder().setSnapshot(snapshot).build());

    String base = "http://127.0.0.1:" + c.httpAddress().getPort();
    String escaped = id;
    HttpResponse<String> agent = get(base + "/api/v1/agents/" + escaped);
    assertThat(agent.statusCode()).as(agent.body()).isIn(200, 404);
    boolean known = agent.statusCode() == 200;
    for (String path :
        List.of("/api/v1/agents", "/metrics", "/api/v1/rejections", "/api/v1/store")) {
      HttpResponse<String> response = get(base + path);
      assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    }
    HttpResponse<String> history = get(base + "/api/v1/agents/" + escaped + "/history");
    assertThat(history.statusCode()).as(history.body()).isEqualTo(known ? 200 : 404);
    boolean stored = known && history.body().contains("\"seq\"");
    Statistics.collect(known ? stored ? "stored" : "refused" : "link refused");
    // Not vacuous: some tries are stored, and then read back by every reader.
    Statistics.coverage(checker -> checker.check("stored").count((Integer count) -> count > 0));
    if (!known) {
      return;
    }
    if (stored) {
      assertThat(streamMentions(base, id)).as("the stream carries the stored sample").isTrue();
    }
    Run show = vigia("show", id, "--url", base);
    assertThat(show.exit).as(show.err).isZero();
    Run last = vigia("history", id, "--url", base, "--last", "10m");
    assertThat(last.exit).as(last.out + last.err).isIn(0, 1);
    assertThat(last.err).doesNotContain("Exception");
    Run csv = vigia("history", id, "--url", base, "--last", "100000d", "--csv");
    assertThat(csv.err).doesNotContain("Exception");
  }

  private record Run(int exit, String out, String err) {}

  private static Run vigia(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = VigiaCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return new Run(cli.execute(args), out.toString(), err.toString());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends the frames and waits for the collector's answer to the snapshot (or the close). */
  private static void send(Collector c, Frame... frames) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(c.ingestAddress(), 5000);
      socket.setSoTimeout(5000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      for (Frame frame : frames) {
        byte[] body = frame.toByteArray();
        out.writeInt(body.length);
        out.write(body);
      }
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      try {
        while (true) {
          byte[] body = new byte[in.readInt()];
          in.readFully(body);
          Frame answer = Frame.parseFrom(body);
          if (answer.hasAck() || answer.hasError()) {
            return;
          }
        }
      } catch (java.io.EOFException | SocketTimeoutException e) {
        // closed (a refused link) or nothing more to say
      }
    }
  }

  /** Whether the stream, replayed from its start, has a sample event of host {@code id}. */
  private static boolean streamMentions(String base, String id) throws IOException {
    var connection =
        (java.net.HttpURLConnection) URI.create(base + "/api/v1/stream").toURL().openConnection();
    connection.setRequestProperty("Last-Event-ID", "0");
    connection.setReadTimeout(1000);
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      String event = "";
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")
            && (event.equals("sample") || event.equals("reset"))
            && (event.equals("reset") || line.contains("\"" + id + "\""))) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    } finally {
      connection.disconnect();
    }
    return false;
  }
}
