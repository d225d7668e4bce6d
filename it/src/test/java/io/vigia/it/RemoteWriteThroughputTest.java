package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigia.collector.Collector;
import io.vigia.collector.remotewrite.ReceiverStatus;
import io.vigia.collector.remotewrite.RemoteWriteSettings;
import io.vigia.proto.CpuSample;
import io.vigia.proto.Frame;
import io.vigia.proto.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The figures behind remote write's cost: raw agents over loopback push pre-encoded 16-core
 * snapshots as fast as the collector takes them, once into a collector without remote write (the
 * ingest figures) and once into one that pushes everything to a real Prometheus. CPU time is read
 * per thread: the collector's event loops (ingest), its remote-write sender and the JDK HTTP
 * client's threads (remote write), and the Prometheus process. Not part of {@code mvn verify}; run
 * it with {@code scripts/bench-remote-write [hosts] [snapshots-per-host]}. A first ingest run, not
 * measured, warms the JIT up.
 */
@Tag("soak")
class RemoteWriteThroughputTest {

  private static final Logger log = LoggerFactory.getLogger(RemoteWriteThroughputTest.class);
  private static final int CORES = 16;

  /** Prometheus samples per 16-core snapshot: busy, 16 cores, 8 modes. */
  private static final int SERIES = 1 + CORES + 8;

  @TempDir Path tmp;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

  /** CPU nanoseconds of the live threads whose names start with each prefix. */
  private Map<String, Long> cpu(String... prefixes) {
    Map<String, Long> byPrefix = new HashMap<>();
    for (String prefix : prefixes) {
      byPrefix.put(prefix, 0L);
    }
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      for (String prefix : prefixes) {
        if (info.getThreadName().startsWith(prefix)) {
          long nanos = threads.getThreadCpuTime(info.getThreadId());
          if (nanos > 0) {
            byPrefix.merge(prefix, nanos, Long::sum);
          }
        }
      }
    }
    return byPrefix;
  }

  private static byte[] hostStream(String id, long epoch, int snapshots, long firstMillis)
      throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(bytes);
    List<Frame> frames = new ArrayList<>();
    frames.add(RawAgent.hello(id, CORES, epoch));
    for (int seq = 1; seq <= snapshots; seq++) {
      CpuSample.Builder cpu =
          CpuSample.newBuilder().setBusy(100 + seq % 50).setUser(90).setSystem(10).setIdle(900);
      for (int core = 0; core < CORES; core++) {
        cpu.addCoreBusy((seq * 7 + core * 13) % 1000);
      }
      frames.add(
          Frame.newBuilder()
              .setSnapshot(
                  Snapshot.newBuilder()
                      .setSeq(seq)
                      .setTimeMs(firstMillis + seq * 1000L)
                      .setIntervalMs(1000)
                      .setCpu(cpu))
              .build());
    }
    for (Frame frame : frames) {
      byte[] body = frame.toByteArray();
      data.writeInt(body.length);
      data.write(body);
    }
    return bytes.toByteArray();
  }

  /** Pushes every host's stream on its own link; returns when all are written. */
  private static void push(Collector collector, List<byte[]> streams, long total) throws Exception {
    ExecutorService senders =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "raw-sender");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> done = new ArrayList<>();
      List<RawAgent> links = new ArrayList<>();
      for (byte[] stream : streams) {
        RawAgent link = new RawAgent(collector.ingestAddress());
        links.add(link);
        done.add(
            senders.submit(
                () -> {
                  link.writeAtOnce(stream);
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      await()
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> collector.registry().storedSamples() >= total);
      for (RawAgent link : links) {
        link.close();
      }
    } finally {
      senders.shutdownNow();
    }
  }

  @Test
  void remoteWriteThroughputAndCpuNextToIngest() throws Exception {
    int hosts = Integer.getInteger("bench.hosts", 100);
    int snapshots = Integer.getInteger("bench.snapshots", 600);
    long total = (long) hosts * snapshots;
    long firstMillis = System.currentTimeMillis() - (snapshots + 60) * 1000L;
    List<byte[]> streams = new ArrayList<>();
    for (int h = 0; h < hosts; h++) {
      streams.add(
          hostStream(String.format(Locale.ROOT, "bench-%03d", h), 1, snapshots, firstMillis));
    }
    String ingestThreads = "vigia-collector-io";
    String[] rwThreads = {"vigia-remote-write", "HttpClient"};
    StringBuilder report = new StringBuilder();
    report.append(
        String.format(
            Locale.ROOT,
            "hosts=%d snapshots/host=%d cores=%d snapshots=%d series-samples=%d cpus=%d%n",
            hosts,
            snapshots,
            CORES,
            total,
            total * SERIES,
            Runtime.getRuntime().availableProcessors()));

    // 0. A run that is not measured, so that both measured ones find the code compiled by the JIT.
    try (Collector warmUp = Fleet.startCollector(RemoteWriteSettings.NONE)) {
      push(warmUp, streams, total);
    }

    // 1. Ingest alone.
    try (Collector plain = Fleet.startCollector(RemoteWriteSettings.NONE)) {
      long cpu0 = cpu(ingestThreads).get(ingestThreads);
      long t0 = System.nanoTime();
      push(plain, streams, total);
      double seconds = (System.nanoTime() - t0) / 1e9;
      double cpuSeconds = (cpu(ingestThreads).get(ingestThreads) - cpu0) / 1e9;
      report.append(
          String.format(
              Locale.ROOT,
              "ingest without remote write: %.2f s wall, %.0f snapshots/s (%.0f series samples/s),"
                  + " event-loop CPU %.2f s = %.2f us per snapshot%n",
              seconds,
              total / seconds,
              total * SERIES / seconds,
              cpuSeconds,
              cpuSeconds * 1e6 / total));
    }

    // 2. Ingest with remote write to a real Prometheus.
    int port = PrometheusServer.freePort();
    Path config =
        Files.writeString(tmp.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n");
    try (PrometheusServer prometheus = PrometheusServer.startWithRemoteWrite(config, tmp, port);
        Collector pushing =
            Fleet.startCollector(
                new RemoteWriteSettings(
                    List.of(prometheus.remoteWriteUrl()),
                    RemoteWriteSettings.Auth.NONE,
                    (int) total,
                    RemoteWriteSettings.DEFAULT_BATCH))) {
      long promCpu0 = prometheusCpu(port);
      long ingest0 = cpu(ingestThreads).get(ingestThreads);
      Map<String, Long> rw0 = cpu(rwThreads);
      long t0 = System.nanoTime();
      push(pushing, streams, total);
      double ingestSeconds = (System.nanoTime() - t0) / 1e9;
      double ingestCpu = (cpu(ingestThreads).get(ingestThreads) - ingest0) / 1e9;
      await()
          .atMost(Duration.ofMinutes(20))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  pushing.remoteWrite().status().get(0).sent()
                          + pushing.remoteWrite().status().get(0).droppedTotal()
                      >= total);
      double rwSeconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Long> rw1 = cpu(rwThreads);
      double rwCpu = 0;
      for (String prefix : rwThreads) {
        rwCpu += (rw1.get(prefix) - rw0.get(prefix)) / 1e9;
      }
      double promCpu = (prometheusCpu(port) - promCpu0) / 1e9;
      ReceiverStatus status = pushing.remoteWrite().status().get(0);
      report.append(
          String.format(
              Locale.ROOT,
              "ingest with remote write:    %.2f s wall, %.0f snapshots/s, event-loop CPU %.2f s"
                  + " = %.2f us per snapshot%n",
              ingestSeconds,
              total / ingestSeconds,
              ingestCpu,
              ingestCpu * 1e6 / total));
      report.append(
          String.format(
              Locale.ROOT,
              "remote write: all delivered %.2f s after the start: %.0f snapshots/s = %.0f series"
                  + " samples/s; sender+HTTP client CPU %.2f s = %.2f us per snapshot = %.2f us per"
                  + " series sample (%.2f CPU-s per million series samples); %d requests' bodies"
                  + " %.1f MB compressed (%.1f bytes per series sample); sent=%d dropped=%s"
                  + " retried=%d%n",
              rwSeconds,
              total / rwSeconds,
              total * SERIES / rwSeconds,
              rwCpu,
              rwCpu * 1e6 / total,
              rwCpu * 1e6 / (total * SERIES),
              rwCpu * 1e6 / (total * SERIES),
              (total + RemoteWriteSettings.DEFAULT_BATCH - 1) / RemoteWriteSettings.DEFAULT_BATCH,
              status.bytesSent() / 1e6,
              (double) status.bytesSent() / (total * SERIES),
              status.sent(),
              status.dropped(),
              status.retried()));
      report.append(
          String.format(
              Locale.ROOT, "prometheus receiver process CPU over the run: %.2f s%n", promCpu));
      assertThat(status.sent()).isEqualTo(total);
    }
    log.info("Remote-write bench:\n{}", report);
    Path out = Path.of("target/remote-write-bench.txt");
    Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
  }

  /** CPU nanoseconds of the Prometheus process listening on {@code port}, from /proc. */
  private static long prometheusCpu(int port) {
    return ProcessHandle.allProcesses()
        .filter(
            p ->
                p.info().commandLine().map(c -> c.contains("127.0.0.1:" + port)).orElse(false)
                    && p.info().command().map(c -> c.endsWith("prometheus")).orElse(false))
        .findFirst()
        .flatMap(p -> p.info().totalCpuDuration())
        .map(Duration::toNanos)
        .orElse(0L);
  }
}
