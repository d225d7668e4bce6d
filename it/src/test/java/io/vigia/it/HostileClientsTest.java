package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigia.agent.Agent;
import io.vigia.agent.AgentConfig;
import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfig;
import io.vigia.proto.CpuSample;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One collector, 20 well-behaved agents streaming to it all along, and one hostile input per test.
 * Each test checks that the bad links got the right {@code Error} and were closed, and that the
 * agents stayed connected; the last checks that no sample of theirs was lost and that the
 * collector's heap stayed bounded. The figures of each class are logged at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileClientsTest {

  private static final Logger log = LoggerFactory.getLogger(HostileClientsTest.class);

  private static final String TOKEN = "fleet-secret-for-tests";
  private static final int AGENTS = 20;
  private static final Duration INTERVAL = Duration.ofMillis(200);
  private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(2);
  private static final int PER_ADDRESS = 200;
  private static final int BURST = 200;
  private static final long HEAP_BOUND = 64L << 20;

  private final Map<String, String> report = new TreeMap<>();
  private final ExecutorService clients = Executors.newFixedThreadPool(32);
  private Collector collector;
  private Fleet fleet;
  private final List<Agent> agents = new ArrayList<>();
  private long heapBefore;
  private int round;

  @BeforeAll
  void startTheFleet() {
    collector =
        Fleet.startCollector(
            CollectorConfig.builder()
                .listen(Fleet.loopback(0))
                .http(Fleet.loopback(0))
                .history(20_000)
                .helloTimeout(HELLO_TIMEOUT)
                .idleTimeout(Duration.ofSeconds(5))
                .heartbeatEvery(Duration.ofMillis(500))
                .agentToken(TOKEN)
                .maxLinks(10_000)
                .maxLinksPerAddress(PER_ADDRESS)
                .maxSnapshotRate(10)
                .snapshotBurst(BURST));
    fleet = new Fleet();
    for (int i = 0; i < AGENTS; i++) {
      agents.add(
          fleet.agent(
              AgentConfig.builder()
                  .collector(collector.ingestAddress())
                  .interval(INTERVAL)
                  .id("good-" + i)
                  .token(TOKEN)
                  .idleTimeout(Duration.ofSeconds(2))
                  .build(),
              1 + i % 4,
              100 + i));
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> agents.stream().allMatch(this::streaming));
    heapBefore = usedHeapAfterGc();
  }

  @AfterAll
  void stop() {
    clients.shutdownNow();
    fleet.close();
    collector.close();
  }

  private boolean streaming(Agent agent) {
    return agent.connected() && agent.ackedUpTo() >= 3;
  }

  private static long usedHeapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  // ---------------------------------------------------------------- the hostile inputs

  @Test
  @Order(1)
  void garbageBytes() throws Exception {
    Random random = new Random(20261127);
    List<byte[]> inputs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] garbage = new byte[1 + random.nextInt(4096)];
      random.nextBytes(garbage);
      inputs.add(garbage);
    }
    // And garbage behind a length prefix that matches it, so it reaches the protobuf decoder.
    for (int i = 0; i < 300; i++) {
      byte[] garbage = new byte[4 + 1 + random.nextInt(4096)];
      random.nextBytes(garbage);
      int length = garbage.length - 4;
      garbage[0] = 0;
      garbage[1] = 0;
      garbage[2] = (byte) (length >>> 8);
      garbage[3] = (byte) length;
      inputs.add(garbage);
    }
    Map<String, Long> before = rejections();
    List<ErrorCode> answers = all(inputs, this::sendAndAwaitClose);

    assertThat(answers).as("every garbage link answered with an Error").doesNotContainNull();
    record("garbage bytes", inputs.size(), before, answers);
  }

  @Test
  @Order(2)
  void aTwoGibLengthPrefixAndOthersBeyondTheLimit() throws Exception {
    List<byte[]> inputs = new ArrayList<>();
    for (int claim : new int[] {Integer.MAX_VALUE, 0x80000000, 0xFFFFFFFF, (1 << 20) + 1}) {
      for (int i = 0; i < 5; i++) {
        inputs.add(
            new byte[] {
              (byte) (claim >>> 24),
              (byte) (claim >>> 16),
              (byte) (claim >>> 8),
              (byte) claim,
              1,
              2,
              3
            });
      }
    }
    Map<String, Long> before = rejections();
    List<ErrorCode> answers = all(inputs, this::sendAndAwaitClose);

    assertThat(answers).containsOnly(ErrorCode.FRAME_TOO_LARGE);
    record("length prefix 2 GiB and beyond 1 MiB", inputs.size(), before, answers);
  }

  @Test
  @Order(3)
  void aFrameCutInHalfThenSilence() throws Exception {
    byte[] hello = RawAgent.wire(hello("half", 2, TOKEN));
    byte[] half = java.util.Arrays.copyOf(hello, hello.length / 2);
    List<byte[]> inputs = java.util.Collections.nCopies(50, half);
    Map<String, Long> before = rejections();
    List<ErrorCode> answers = all(inputs, this::sendAndAwaitClose);

    assertThat(answers).containsOnly(ErrorCode.HELLO_TIMEOUT);
    record("half a frame, then silence", inputs.size(), before, answers);
  }

  @Test
  @Order(4)
  void aBytePerSecondTrickle() throws Exception {
    byte[] hello = RawAgent.wire(hello("slow", 2, TOKEN));
    List<Callable<ErrorCode>> trickles = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      trickles.add(() -> trickle(hello, Duration.ofSeconds(1)));
    }
    Map<String, Long> before = rejections();
    List<ErrorCode> answers = run(trickles);

    assertThat(answers).containsOnly(ErrorCode.HELLO_TIMEOUT);
    record("slowloris, a byte a second", trickles.size(), before, answers);
  }

  @Test
  @Order(5)
  void tenThousandConnectionsThatNeverSpeak() throws Exception {
    // From another loopback address, in another process: its 10,000 sockets stay out of this
    // JVM's open files, and the agents on 127.0.0.1 keep their own per-address allowance.
    int connections = 10_000;
    Map<String, Long> before = rejections();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classes =
        Path.of(SilentClients.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xmx64m",
                "-cp",
                classes,
                SilentClients.class.getName(),
                "127.0.0.2",
                "127.0.0.1",
                Integer.toString(collector.ingestAddress().getPort()),
                Integer.toString(connections),
                "60")
            .redirectErrorStream(true)
            .start();
    String output;
    try (InputStream out = child.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8).strip();
    }
    assertThat(child.waitFor(90, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    Map<String, Long> delta = delta(before, rejections());

    assertThat(output)
        .as("every silent connection opened and was closed by the collector")
        .isEqualTo("opened " + connections + " closed " + connections + " refused 0");
    // Refused at once beyond the allowance of one address; the others time out on the Hello.
    // How many of each depends on how many time out while the rest still connect.
    long refused = delta.getOrDefault("too_many_links_from_address", 0L);
    long timedOut = delta.getOrDefault("hello_timeout", 0L);
    assertThat(refused + timedOut).isEqualTo(connections);
    assertThat(timedOut).isGreaterThanOrEqualTo(PER_ADDRESS);
    assertThat(refused).isGreaterThanOrEqualTo(connections / 2);
    record("silent connections from 127.0.0.2", connections, delta, output);
  }

  @Test
  @Order(6)
  void aFloodOfValidSnapshotsOverTheRate() throws Exception {
    List<Callable<ErrorCode>> floods = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = "flood-" + i;
      floods.add(
          () -> {
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            wire.write(RawAgent.wire(hello(id, 2, TOKEN)));
            for (int seq = 1; seq <= 5 * BURST; seq++) {
              wire.write(RawAgent.wire(RawAgent.snapshot(seq, 2)));
            }
            return sendAndAwaitClose(wire.toByteArray());
          });
    }
    Map<String, Long> before = rejections();
    List<ErrorCode> answers = run(floods);

    assertThat(answers).containsOnly(ErrorCode.RATE_EXCEEDED);
    // The burst got in; the link was cut right after.
    assertThat(collector.registry().hosts())
        .filteredOn(host -> host.identity().id().startsWith("flood-"))
        .hasSize(5)
        .allSatisfy(host -> assertThat(host.lastSeq()).isBetween(1L, (long) BURST + 10));
    record("flood of valid snapshots, " + 5 * BURST + " at once", floods.size(), before, answers);
  }

  @Test
  @Order(7)
  void invalidValues() throws Exception {
    List<byte[]> inputs = new ArrayList<>();
    // A million cores in the Hello.
    inputs.add(RawAgent.wire(hello("cores-1e6", 1_000_000, TOKEN)));
    // 300 %: 3000 per mille.
    inputs.add(RawAgent.wire(hello("busy-300", 2, TOKEN), snapshot(1, 3000, 2)));
    // Negative: -1 in the unsigned per-mille fields.
    inputs.add(RawAgent.wire(hello("busy-neg", 2, TOKEN), snapshot(1, -1, 2)));
    // A snapshot with a million core figures from a 2-core Hello.
    inputs.add(RawAgent.wire(hello("snap-1e6", 2, TOKEN), snapshot(1, 100, 1_000_000)));
    // Sequence 0, a blank id, control characters in the id, an unknown protocol version.
    inputs.add(RawAgent.wire(hello("seq-0", 2, TOKEN), snapshot(0, 100, 2)));
    inputs.add(RawAgent.wire(hello(" ", 2, TOKEN)));
    inputs.add(RawAgent.wire(hello("bell\u0007", 2, TOKEN)));
    inputs.add(RawAgent.wire(hello("too-long-" + "x".repeat(200), 2, TOKEN)));
    Frame future = hello("v99", 2, TOKEN);
    inputs.add(
        RawAgent.wire(
            future.toBuilder()
                .setHello(future.getHello().toBuilder().setProtocolVersion(99))
                .build()));
    Map<String, Long> before = rejections();
    List<ErrorCode> answers = all(inputs, this::sendAndAwaitClose);

    assertThat(answers.subList(0, 8)).containsOnly(ErrorCode.INVALID_MESSAGE);
    assertThat(answers.get(8)).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
    record("invalid values", inputs.size(), before, answers);
  }

  @Test
  @Order(8)
  void aSnapshotBeforeHello() throws Exception {
    List<byte[]> inputs = java.util.Collections.nCopies(20, RawAgent.wire(RawAgent.snapshot(1, 2)));
    Map<String, Long> before = rejections();
    List<ErrorCode> answers = all(inputs, this::sendAndAwaitClose);

    assertThat(answers).containsOnly(ErrorCode.HELLO_REQUIRED);
    record("snapshot before Hello", inputs.size(), before, answers);
  }

  @Test
  @Order(9)
  void aWrongOrMissingToken() throws Exception {
    List<byte[]> inputs = new ArrayList<>();
    for (String token :
        new String[] {"", "fleet-secret-for-test", TOKEN + "x", "x".repeat(10_000)}) {
      for (int i = 0; i < 5; i++) {
        // The id of a well-behaved agent: without the token, it cannot take over that link.
        inputs.add(RawAgent.wire(hello("good-" + i, 1 + i % 4, token), RawAgent.snapshot(1, 1)));
      }
    }
    Map<String, Long> before = rejections();
    List<ErrorCode> answers = all(inputs, this::sendAndAwaitClose);

    assertThat(answers).containsOnly(ErrorCode.BAD_TOKEN);
    record("wrong or missing token", inputs.size(), before, answers);
  }

  @Test
  @Order(10)
  void malformedHttpRequests() throws Exception {
    List<String> requests =
        List.of(
            "GARBAGE\r\n\r\n",
            "GET /" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /api/v1/agents HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(100_000) + "\r\n\r\n",
            "POST /api/v1/agents HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n"
                + "c".repeat(100_000),
            "GET /api/v1/agents/%ZZ/history HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /api/v1/agents/good-0/history?last=-5 HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /api/v1/agents/good-0/history?last=99999999999999999999 HTTP/1.1\r\nHost: x\r\n\r\n",
            "\u0000\u0001\u0002\u0003\r\n\r\n",
            "POST /api/v1/agents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\n");
    Map<String, Integer> statuses = new TreeMap<>();
    for (String request : requests) {
      int status = httpStatus(request);
      statuses.merge(status < 0 ? "closed" : Integer.toString(status), 1, Integer::sum);
      assertThat(status).as(request.substring(0, Math.min(60, request.length()))).isNotEqualTo(200);
      assertThat(status < 0 || (status >= 400 && status < 500)).isTrue();
    }
    ApiClient api = new ApiClient(apiUrl());
    assertThat(api.get("/api/v1/agents").statusCode()).isEqualTo(200);
    report.put(
        String.format("%02d malformed HTTP requests", ++round),
        requests.size() + " tried; answers " + statuses);
  }

  @Test
  @Order(100)
  void theWellBehavedAgentsLostNothingAndTheHeapStayedBounded() throws Exception {
    assertThat(agents).allMatch(Agent::connected);
    long heapAfter = usedHeapAfterGc();
    long produced = agents.stream().mapToLong(Agent::lastSeq).sum();
    FaultsTest.assertEveryProducedSampleStoredOnceInOrder(
        agents, new ApiClient(apiUrl()), Map.of());
    report.put(
        "99 well-behaved agents",
        AGENTS
            + " agents, "
            + produced
            + " samples produced, 0 lost (each agent's history is 1..lastSeq, once, in order)");
    report.put(
        "99 heap",
        String.format(
            "used after GC: before %.1f MiB, after %.1f MiB (bound +%d MiB)",
            heapBefore / 1048576.0, heapAfter / 1048576.0, HEAP_BOUND >> 20));
    report.put("99 rejections by reason, whole run", rejections().toString());
    log.info(
        "Hostile clients:\n{}",
        report.entrySet().stream()
            .map(e -> "  " + e.getKey().substring(3) + ": " + e.getValue())
            .collect(Collectors.joining("\n")));
    assertThat(heapAfter - heapBefore).isLessThan(HEAP_BOUND);
  }

  // ---------------------------------------------------------------- helpers

  private String apiUrl() {
    return "http://127.0.0.1:" + collector.httpAddress().getPort();
  }

  private Map<String, Long> rejections() {
    return collector.metrics().rejections();
  }

  private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new TreeMap<>();
    after.forEach(
        (reason, count) -> {
          long d = count - before.getOrDefault(reason, 0L);
          if (d != 0) {
            delta.put(reason, d);
          }
        });
    return delta;
  }

  /** Checks the agents are still streaming, and notes the figures of one class. */
  private void record(String what, int tried, Map<String, Long> before, List<ErrorCode> answers) {
    Map<String, Long> delta = delta(before, rejections());
    Map<ErrorCode, Long> seen =
        answers.stream()
            .collect(Collectors.groupingBy(code -> code, TreeMap::new, Collectors.counting()));
    // The collector counts each Error it sends: one per rejected link.
    assertThat(delta.values().stream().mapToLong(Long::longValue).sum())
        .as("rejections counted for %s: %s", what, delta)
        .isEqualTo(answers.size());
    record(what, tried, delta, "clients were told " + seen);
  }

  private void record(String what, int tried, Map<String, Long> delta, String detail) {
    long[] acked = agents.stream().mapToLong(Agent::ackedUpTo).toArray();
    // The agents keep streaming: every one gets new samples acknowledged.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              for (int i = 0; i < agents.size(); i++) {
                if (!agents.get(i).connected() || agents.get(i).ackedUpTo() <= acked[i]) {
                  return false;
                }
              }
              return true;
            });
    report.put(
        String.format("%02d %s", ++round, what),
        tried + " tried; rejected by reason " + delta + "; " + detail);
  }

  private <T> List<ErrorCode> all(List<T> inputs, Probe<T> probe) throws Exception {
    List<Callable<ErrorCode>> tasks = new ArrayList<>();
    for (T input : inputs) {
      tasks.add(() -> probe.run(input));
    }
    return run(tasks);
  }

  private List<ErrorCode> run(List<Callable<ErrorCode>> tasks) throws Exception {
    List<ErrorCode> answers = new ArrayList<>();
    for (Future<ErrorCode> answer : clients.invokeAll(tasks, 60, TimeUnit.SECONDS)) {
      answers.add(answer.get());
    }
    return answers;
  }

  private interface Probe<T> {
    ErrorCode run(T input) throws Exception;
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.setSoTimeout(15_000);
    socket.connect(collector.ingestAddress(), 5_000);
    return socket;
  }

  /**
   * Sends {@code bytes} (as much as the collector takes before closing), then reads until the
   * collector closes the link.
   *
   * @return the code of the Error frame it answered with, or null if none came
   */
  private ErrorCode sendAndAwaitClose(byte[] bytes) throws IOException {
    try (Socket socket = connect()) {
      try {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
      } catch (SocketException closedWhileWriting) {
        // The collector may close before it has read everything; its answer is still there.
      }
      return errorUntilClosed(socket);
    }
  }

  /**
   * Sends {@code bytes} one at a time, each after waiting up to {@code every} for the collector to
   * answer or close (which ends the trickle), then reads until the collector closes the link.
   */
  private ErrorCode trickle(byte[] bytes, Duration every) throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
      try {
        socket.setSoTimeout((int) every.toMillis());
        for (byte b : bytes) {
          out.write(b);
          out.flush();
          in.mark(1);
          try {
            in.read(); // an answer, or -1 when closed: the trickle is over either way
            in.reset();
            break;
          } catch (SocketTimeoutException nothingYet) {
            // The collector is still waiting: the next byte.
          }
        }
      } catch (SocketException closedWhileWriting) {
        // Closed under the trickle: read what it said.
      }
      socket.setSoTimeout(15_000);
      return errorUntilClosed(in);
    }
  }

  private static ErrorCode errorUntilClosed(Socket socket) throws IOException {
    return errorUntilClosed(socket.getInputStream());
  }

  private static ErrorCode errorUntilClosed(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    ErrorCode error = null;
    try {
      while (true) {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        Frame frame = Frame.parseFrom(body);
        if (frame.hasError()) {
          error = frame.getError().getCode();
        }
      }
    } catch (EOFException | SocketException closed) {
      return error;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the collector left a hostile link open for 15 s", e);
    }
  }

  private int httpStatus(String request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(15_000);
      socket.connect(collector.httpAddress(), 5_000);
      try {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
      } catch (SocketException closedWhileWriting) {
        // Answered and closed before the whole request was sent.
      }
      byte[] head = new byte[12];
      int n;
      try {
        n = socket.getInputStream().readNBytes(head, 0, head.length);
      } catch (SocketException reset) {
        return -1;
      }
      if (n < 12) {
        return -1;
      }
      return Integer.parseInt(new String(head, 9, 3, StandardCharsets.ISO_8859_1));
    }
  }

  private static Frame hello(String id, int cores, String token) {
    Frame hello = RawAgent.hello(id, cores, 1);
    return hello.toBuilder()
        .setHello(Hello.newBuilder(hello.getHello()).setToken(token).build())
        .build();
  }

  private static Frame snapshot(long seq, int busy, int cores) {
    CpuSample.Builder cpu = CpuSample.newBuilder().setBusy(busy).setUser(100).setIdle(900);
    for (int core = 0; core < cores; core++) {
      cpu.addCoreBusy(1);
    }
    return Frame.newBuilder()
        .setSnapshot(
            Snapshot.newBuilder()
                .setSeq(seq)
                .setTimeMs(RawAgent.TIME_BASE + seq * 1000)
                .setIntervalMs(1000)
                .setCpu(cpu))
        .build();
  }
}
