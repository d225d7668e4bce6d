package io.vigia.bench.loadgen;

import com.google.protobuf.util.JsonFormat;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.vigia.bench.Sizes;
import io.vigia.bench.SnapshotFixture;
import io.vigia.codec.Durations;
import io.vigia.codec.HostPort;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiAgentList;
import io.vigia.proto.Snapshot;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vigia-loadgen}: a fleet of simulated agents in one process, against a collector running as
 * its own process. See {@code scripts/vigia-loadgen --help} and {@code bench/RESULTS.md}.
 */
@Command(
    name = "vigia-loadgen",
    mixinStandardHelpOptions = true,
    version = "vigia-loadgen 0.1",
    description = {
      "Simulates N agents, each a real protocol client on its own TCP link from its own",
      "127.x.y.z source address, and reports throughput, sample-to-ack latency, and what the",
      "collector stored (checked against its API)."
    })
public final class LoadGen implements Callable<Integer> {

  /** What every simulated agent needs to know. */
  record Settings(
      InetSocketAddress collector, boolean flood, Duration interval, int window, int cores) {}

  @Option(names = "--collector", description = "Collector agent port (default ${DEFAULT-VALUE}).")
  String collector = "127.0.0.1:7070";

  @Option(
      names = "--api",
      description = "Collector HTTP API to check against, or 'none' (default ${DEFAULT-VALUE}).")
  String api = "http://127.0.0.1:7071";

  @Option(names = "--agents", description = "Simulated agents (default ${DEFAULT-VALUE}).")
  int agents = 1000;

  @Option(names = "--steady", description = "Each agent samples every --interval (the default).")
  boolean steady;

  @Option(
      names = "--flood",
      description = "Each agent sends as fast as acks allow, --window unacked at most.")
  boolean flood;

  @Option(names = "--interval", description = "Steady mode's interval (default ${DEFAULT-VALUE}).")
  String interval = "1s";

  @Option(
      names = "--window",
      description = "Unacked snapshots per agent (default ${DEFAULT-VALUE}).")
  int window = 64;

  @Option(
      names = "--cores",
      description = "Cores of every simulated host (default ${DEFAULT-VALUE}).")
  int cores = 16;

  @Option(
      names = "--families",
      description =
          "all (CPU, memory, load, 2 file systems, 2 disks, 2 interfaces) or cpu"
              + " (default ${DEFAULT-VALUE}).")
  String families = "all";

  @Option(
      names = "--duration",
      description = "Measured time, after every agent has connected (default ${DEFAULT-VALUE}).")
  String duration = "60s";

  @Option(
      names = "--connect-rate",
      description = "New agents started per second during the ramp (default ${DEFAULT-VALUE}).")
  int connectRate = 2000;

  @Option(names = "--loops", description = "Event loop threads (default ${DEFAULT-VALUE}).")
  int loops = 2;

  @Option(
      names = "--collector-pid",
      description = "Collector's process id: report its CPU and RSS from /proc.")
  long collectorPid;

  @Option(names = "--out", description = "Also write the final report as JSON to this file.")
  Path out;

  @Option(names = "--id-prefix", description = "Agent ids are PREFIX-N (default ${DEFAULT-VALUE}).")
  String idPrefix = "sim";

  public static void main(String[] args) {
    System.exit(new CommandLine(new LoadGen()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (steady && flood) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "choose one of --steady and --flood");
    }
    if (agents < 1 || agents > 250 * 250 * 250) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--agents must be within 1..15625000");
    }
    boolean all =
        switch (families) {
          case "all" -> true;
          case "cpu" -> false;
          default ->
              throw new CommandLine.ParameterException(
                  new CommandLine(this), "--families must be all or cpu, not " + families);
        };
    HostPort target = HostPort.parse(collector);
    Settings settings =
        new Settings(
            new InetSocketAddress(target.host(), target.port()),
            flood,
            Durations.parse(interval),
            window,
            cores);
    Duration measured = Durations.parse(duration);
    int valuesPerSnapshot = Sizes.values(cores, all);
    long epoch = System.currentTimeMillis();

    // A few different bodies, so that the figures vary between hosts as they would.
    byte[][] bodies = new byte[64][];
    for (int i = 0; i < bodies.length; i++) {
      Snapshot body = SnapshotFixture.body(cores, all, i);
      bodies[i] = body.toByteArray();
    }
    int frameBytes = SimAgent.frameBytes(1000, epoch, bodies[0]);

    Stats stats = new Stats();
    MultiThreadIoEventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            loops, new DefaultThreadFactory("loadgen", true), NioIoHandler.newFactory());
    List<SimAgent> fleet = new ArrayList<>(agents);
    for (int i = 0; i < agents; i++) {
      fleet.add(
          new SimAgent(
              idPrefix + "-" + i,
              (EventLoop) group.next(),
              settings,
              stats,
              bodies[i % bodies.length],
              new InetSocketAddress(sourceAddress(i), 0),
              epoch));
    }
    System.out.printf(
        Locale.ROOT,
        "vigia-loadgen: %d agents, %s, %d cores, %s families (%d values, about %d bytes per"
            + " snapshot frame), against %s%n",
        agents,
        flood ? "flood, window " + window : "steady, every " + interval,
        cores,
        families,
        valuesPerSnapshot,
        frameBytes,
        collector);

    // Ramp: start agents at --connect-rate, printing progress meanwhile.
    long start = System.nanoTime();
    long intervalNanos = settings.interval().toNanos();
    Progress progress = new Progress(stats, fleet, collectorPid, valuesPerSnapshot, start);
    int started = 0;
    long rampDeadline =
        start + TimeUnit.SECONDS.toNanos(120) + (long) agents * 1_000_000_000L / connectRate;
    while (true) {
      long elapsed = System.nanoTime() - start;
      int due = (int) Math.min(agents, elapsed * connectRate / 1_000_000_000L + 1);
      while (started < due) {
        fleet.get(started).start(ThreadLocalRandom.current().nextLong(intervalNanos));
        started++;
      }
      progress.maybePrint("ramp");
      if (started == agents && stats.connectedCount() == agents) {
        break;
      }
      if (System.nanoTime() > rampDeadline) {
        System.out.printf(
            "vigia-loadgen: only %d of %d agents connected after the ramp; measuring anyway%n",
            stats.connectedCount(), agents);
        break;
      }
      Thread.sleep(10);
    }
    double connectSeconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "vigia-loadgen: %d agents connected in %.1f s (%d failed connects)%n",
        stats.connectedCount(),
        connectSeconds,
        stats.connectFailureCount());

    // Measurement.
    stats.startMeasuring();
    long ackedAtStart = stats.ackedCount();
    ProcStat collectorAtStart = collectorPid > 0 ? ProcStat.read(collectorPid) : null;
    ProcStat selfAtStart = ProcStat.read(ProcessHandle.current().pid());
    long measureStart = System.nanoTime();
    long measureEnd = measureStart + measured.toNanos();
    Histogram total = new Histogram(3_600_000_000L, 3);
    long recoveredNanos = 0;
    while (System.nanoTime() < measureEnd) {
      Thread.sleep(20);
      Histogram second = progress.maybePrint("run");
      if (second != null) {
        total.add(second);
      }
      if (stats.firstDropNanos() != 0
          && recoveredNanos == 0
          && stats.connectedCount() == agents
          && backlog(fleet) <= agents) {
        recoveredNanos = System.nanoTime();
      }
    }
    long ackedInWindow = stats.ackedCount() - ackedAtStart;
    double seconds = (System.nanoTime() - measureStart) / 1e9;
    ProcStat collectorAtEnd = collectorPid > 0 ? ProcStat.read(collectorPid) : null;
    ProcStat selfAtEnd = ProcStat.read(ProcessHandle.current().pid());

    // Drain: no new samples; wait for every sample to be acked.
    fleet.forEach(SimAgent::stop);
    long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (backlog(fleet) > 0 && System.nanoTime() < drainDeadline) {
      Thread.sleep(50);
      Histogram h = progress.maybePrint("drain");
      if (h != null) {
        total.add(h);
      }
    }
    Histogram rest = stats.interval(null);
    total.add(rest);
    long unackedAtEnd = backlog(fleet);

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("mode", flood ? "flood" : "steady");
    report.put("agents", agents);
    report.put("interval_ms", flood ? 0 : settings.interval().toMillis());
    report.put("window", window);
    report.put("cores", cores);
    report.put("families", families);
    report.put("values_per_snapshot", valuesPerSnapshot);
    report.put("frame_bytes", frameBytes);
    report.put("event_loops", loops);
    report.put("connect_seconds", round(connectSeconds));
    report.put("connect_failures", stats.connectFailureCount());
    report.put("measured_seconds", round(seconds));
    report.put("snapshots_per_second", round(ackedInWindow / seconds));
    report.put("values_per_second", round(ackedInWindow * (double) valuesPerSnapshot / seconds));
    report.put("generated", stats.generatedCount());
    report.put("acked", stats.ackedCount());
    report.put("unacked_at_end", unackedAtEnd);
    report.put("spool_dropped", stats.spoolDroppedCount());
    report.put("latency_ms_p50", ms(total.getValueAtPercentile(50)));
    report.put("latency_ms_p99", ms(total.getValueAtPercentile(99)));
    report.put("latency_ms_p999", ms(total.getValueAtPercentile(99.9)));
    report.put("latency_ms_max", ms(total.getMaxValue()));
    report.put("links_down", stats.linksDownCount());
    report.put("link_errors", stats.linkErrorCount());
    Map<String, Long> errors = new LinkedHashMap<>();
    stats.errors().forEach((code, n) -> errors.put(code.name(), n.sum()));
    report.put("collector_errors", errors);
    Map<String, Long> failures = new LinkedHashMap<>();
    stats.failureKinds().forEach((kind, n) -> failures.put(kind, n.sum()));
    report.put("failures", failures);
    if (stats.firstDropNanos() != 0) {
      report.put(
          "recovered_seconds_after_first_drop",
          recoveredNanos == 0 ? -1 : round((recoveredNanos - stats.firstDropNanos()) / 1e9));
    }
    if (collectorAtStart != null && collectorAtEnd != null) {
      report.put(
          "collector_cpu_percent_of_one_core",
          round(collectorAtEnd.cpuPercentSince(collectorAtStart)));
      report.put("collector_rss_mib", round(collectorAtEnd.rssKib() / 1024.0));
      report.put("collector_rss_max_mib", round(progress.maxCollectorRssKib() / 1024.0));
    }
    if (selfAtStart != null && selfAtEnd != null) {
      report.put("loadgen_cpu_percent_of_one_core", round(selfAtEnd.cpuPercentSince(selfAtStart)));
    }
    if (!api.equals("none")) {
      System.out.println(
          "vigia-loadgen: checking the collector's API, every agent still connected");
      report.putAll(verify(fleet, stats));
    }
    fleet.forEach(SimAgent::close);
    Thread.sleep(1000);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);

    System.out.println();
    System.out.println("vigia-loadgen report");
    report.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-36s %s%n", k, v));
    if (out != null) {
      Files.writeString(out, json(report) + "\n");
      System.out.println("  written to " + out);
    }
    return 0;
  }

  /**
   * Checks against the collector's API what it holds for every simulated agent: its last stored seq
   * must be the last generated, and the samples held must be exactly those generated since the
   * collector's current run first heard of the agent (or the history capacity, if smaller).
   */
  private Map<String, Object> verify(List<SimAgent> fleet, Stats stats)
      throws IOException, InterruptedException {
    Map<String, Object> result = new LinkedHashMap<>();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/api/v1/agents"))
                .timeout(Duration.ofSeconds(120))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      result.put("api_check", "failed: HTTP " + response.statusCode());
      return result;
    }
    ApiAgentList.Builder list = ApiAgentList.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(response.body(), list);
    Map<String, ApiAgent> byId = new HashMap<>();
    int capacity = 0;
    for (ApiAgent agent : list.getAgentsList()) {
      byId.put(agent.getId(), agent);
    }
    long missingHosts = 0;
    long lost = 0;
    long duplicated = 0;
    long replaysIgnored = 0;
    long full = 0;
    for (SimAgent agent : fleet) {
      ApiAgent seen = byId.get(agent.id());
      if (seen == null) {
        missingHosts++;
        lost += agent.generated();
        continue;
      }
      capacity = Math.max(capacity, seen.getSamples());
      replaysIgnored += seen.getDuplicates();
      lost += Math.max(0, agent.generated() - seen.getLastSeq());
      duplicated += Math.max(0, seen.getLastSeq() - agent.generated());
    }
    // Samples held versus samples expected: a shortfall below a full ring is a gap (lost), an
    // excess is a sample stored twice.
    for (SimAgent agent : fleet) {
      ApiAgent seen = byId.get(agent.id());
      if (seen == null) {
        continue;
      }
      long expected = agent.generated() - agent.storedFrom() + 1;
      if (seen.getSamples() == capacity && expected > capacity) {
        full++;
        continue;
      }
      lost += Math.max(0, expected - seen.getSamples());
      duplicated += Math.max(0, seen.getSamples() - expected);
    }
    // Every sample stored, counted by the collector itself: exact whatever the ring's size, when
    // this collector saw the whole run (no restart) and no other agents.
    if (stats.linksDownCount() == 0 && fleet.size() <= 5000) {
      HttpResponse<String> metrics =
          http.send(
              HttpRequest.newBuilder(URI.create(api + "/metrics"))
                  .timeout(Duration.ofSeconds(120))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long generated = fleet.stream().mapToLong(SimAgent::generated).sum();
      for (String line : metrics.body().split("\n")) {
        if (line.startsWith("vigia_ingest_samples_total{outcome=\"stored\"}")) {
          long stored = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          result.put("metrics_samples_stored", stored);
          result.put("metrics_stored_minus_generated", stored - generated);
        }
      }
    }
    result.put("api_hosts_missing", missingHosts);
    result.put("api_lost", lost);
    result.put("api_duplicated", duplicated);
    result.put("api_replays_ignored", replaysIgnored);
    result.put("api_hosts_with_full_history", full);
    if (full > 0) {
      result.put(
          "api_note",
          full
              + " hosts have a full history ring, so gaps older than the ring cannot be seen;"
              + " run the collector with a larger --history");
    }
    return result;
  }

  private static long backlog(List<SimAgent> fleet) {
    long sum = 0;
    for (SimAgent agent : fleet) {
      sum += agent.unacked();
    }
    return sum;
  }

  /** 127.x.y.z, never .0 or .255 in a byte, so that tens of thousands of links fit. */
  static InetAddress sourceAddress(int i) throws UnknownHostException {
    byte[] ip = {127, (byte) (1 + i / 62_500), (byte) (1 + (i / 250) % 250), (byte) (1 + i % 250)};
    return Inet4Address.getByAddress(ip);
  }

  private static double ms(long micros) {
    return round(micros / 1000.0);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static String json(Object value) {
    if (value instanceof Map<?, ?> map) {
      StringBuilder sb = new StringBuilder("{");
      map.forEach(
          (k, v) -> {
            if (sb.length() > 1) {
              sb.append(", ");
            }
            sb.append(json(String.valueOf(k))).append(": ").append(json(v));
          });
      return sb.append('}').toString();
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    String s = String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"");
    return "\"" + s + "\"";
  }

  /** The progress line, once a second. */
  private static final class Progress {
    private final Stats stats;
    private final List<SimAgent> fleet;
    private final long collectorPid;
    private final int values;
    private final long start;
    private long nextPrint;
    private long lastAcked;
    private ProcStat lastCollector;
    private long maxRssKib;
    private Histogram recycle;

    Progress(Stats stats, List<SimAgent> fleet, long collectorPid, int values, long start) {
      this.stats = stats;
      this.fleet = fleet;
      this.collectorPid = collectorPid;
      this.values = values;
      this.start = start;
      this.nextPrint = start + 1_000_000_000L;
      this.lastCollector = collectorPid > 0 ? ProcStat.read(collectorPid) : null;
    }

    long maxCollectorRssKib() {
      return maxRssKib;
    }

    /** Prints if a second has passed; returns that second's latencies then, else null. */
    Histogram maybePrint(String phase) {
      long now = System.nanoTime();
      if (now < nextPrint) {
        return null;
      }
      nextPrint += 1_000_000_000L;
      Histogram h = stats.interval(recycle);
      long acked = stats.ackedCount();
      long rate = acked - lastAcked;
      lastAcked = acked;
      String collector = "";
      if (collectorPid > 0) {
        ProcStat stat = ProcStat.read(collectorPid);
        if (stat == null) {
          collector = "  collector: not running";
        } else {
          maxRssKib = Math.max(maxRssKib, stat.rssKib());
          if (lastCollector != null) {
            collector =
                String.format(
                    Locale.ROOT,
                    "  collector cpu %.0f%% rss %d MiB",
                    stat.cpuPercentSince(lastCollector),
                    stat.rssKib() / 1024);
          }
          lastCollector = stat;
        }
      }
      System.out.printf(
          Locale.ROOT,
          "%5.0fs %-5s connected %d/%d  snapshots/s %d  values/s %d  unacked %d  p50 %.1f ms"
              + "  p99 %.1f ms  max %.1f ms%s%n",
          (now - start) / 1e9,
          phase,
          stats.connectedCount(),
          fleet.size(),
          rate,
          rate * values,
          backlog(fleet),
          h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(50) / 1000.0,
          h.getTotalCount() == 0 ? 0.0 : h.getValueAtPercentile(99) / 1000.0,
          h.getMaxValue() / 1000.0,
          collector);
      // The caller adds it to the run's total; a copy keeps the recycled one free.
      Histogram copy = h.copy();
      recycle = h;
      return copy;
    }
  }
}
