package io.vigia.collector.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.LinkState;
import io.vigia.collector.registry.StoredSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every host's latest figures as gauges, labelled by {@code host} (the agent id) and, where they
 * apply, {@code core} and {@code mode}. One copy of the registry per scrape, so that all series of
 * a scrape describe the same moment.
 *
 * <p>CPU figures are exported for connected hosts only: a host that is lost or left has no current
 * utilisation, and repeating its last one would draw a flat line where there is no data. Its {@code
 * vigia_host_up} turns 0 and its last-seen time stays.
 */
final class HostMetrics implements MultiCollector {

  private final HostRegistry registry;

  HostMetrics(HostRegistry registry) {
    this.registry = registry;
  }

  @Override
  public MetricSnapshots collect() {
    List<HostView> hosts = registry.hosts();
    var info = gauge("vigia_host_info", "The host as its agent describes itself; always 1.");
    var up =
        gauge("vigia_host_up", "1 if the host's agent is linked to the collector now, else 0.");
    var lastSeen =
        gauge("vigia_host_last_seen_timestamp_seconds", "When the collector last heard the agent.")
            .unit(Unit.SECONDS);
    var sampleTime =
        gauge(
                "vigia_host_last_sample_timestamp_seconds",
                "When the agent took the newest stored sample.")
            .unit(Unit.SECONDS);
    var cores = gauge("vigia_host_cpu_cores", "Logical processors of the host.");
    var busy =
        gauge(
            CpuSeries.BUSY,
            "Share of the whole machine's CPU time spent busy (not idle, not iowait) over the newest"
                + " sample's interval, 0 to 1.");
    var perCore =
        gauge(
            CpuSeries.UTILISATION,
            "Share of one logical processor's time spent busy over the newest sample's interval,"
                + " 0 to 1.");
    var perMode =
        gauge(
            CpuSeries.MODE,
            "Share of the whole machine's CPU time spent in each mode over the newest sample's"
                + " interval, 0 to 1.");
    var spoolDropped =
        CounterSnapshot.builder()
            .name("vigia_host_agent_spool_dropped_samples")
            .help(
                "Samples the agent dropped in its current run because its spool was full while no"
                    + " collector took them (starts again at 0 when the agent restarts).");
    var replays =
        CounterSnapshot.builder()
            .name("vigia_host_replayed_samples")
            .help("Samples that arrived again after being stored, and were ignored.");
    var families = new FamilyGauges();
    Map<LinkState, Integer> byState = new EnumMap<>(LinkState.class);
    for (LinkState state : LinkState.values()) {
      byState.put(state, 0);
    }
    for (HostView host : hosts) {
      String id = host.id();
      byState.merge(host.state(), 1, Integer::sum);
      info.dataPoint(
          point(
              1,
              Labels.of(
                  "host",
                  id,
                  "hostname",
                  host.identity().hostname(),
                  "os",
                  host.identity().os(),
                  "agent_version",
                  host.identity().agentVersion())));
      boolean connected = host.state() == LinkState.CONNECTED;
      up.dataPoint(point(connected ? 1 : 0, Labels.of("host", id)));
      lastSeen.dataPoint(point(seconds(host.lastSeen()), Labels.of("host", id)));
      cores.dataPoint(point(host.identity().cores(), Labels.of("host", id)));
      spoolDropped.dataPoint(count(host.delivery().spoolDropped(), Labels.of("host", id)));
      replays.dataPoint(count(host.delivery().duplicates(), Labels.of("host", id)));
      if (!connected || host.latest().isEmpty()) {
        continue;
      }
      StoredSample sample = host.latest().get();
      sampleTime.dataPoint(point(seconds(sample.time()), Labels.of("host", id)));
      families.add(id, sample.families());
      CpuFigures cpu = sample.cpu();
      if (cpu == null) {
        continue; // a sample without CPU figures (a family-only agent, or a counter reset)
      }
      busy.dataPoint(point(ratio(cpu.busy()), Labels.of("host", id)));
      for (int core = 0; core < cpu.cores(); core++) {
        perCore.dataPoint(
            point(
                ratio(cpu.coreBusy(core)), Labels.of("host", id, "core", Integer.toString(core))));
      }
      int[] modes = CpuSeries.modes(cpu);
      for (int m = 0; m < modes.length; m++) {
        perMode.dataPoint(
            point(ratio(modes[m]), Labels.of("host", id, "mode", CpuSeries.MODES.get(m))));
      }
    }
    var states = gauge("vigia_hosts", "Hosts the collector knows, by link state.");
    for (LinkState state : LinkState.values()) {
      states.dataPoint(
          point(byState.get(state), Labels.of("state", state.name().toLowerCase(Locale.ROOT))));
    }
    List<MetricSnapshot> all = new ArrayList<>();
    for (var builder : List.of(info, up, lastSeen, sampleTime, cores, busy, perCore, perMode)) {
      all.add(builder.build());
    }
    all.add(states.build());
    all.add(spoolDropped.build());
    all.add(replays.build());
    all.addAll(families.build());
    all.add(
        CounterSnapshot.builder()
            .name("vigia_ingest_samples")
            .help(
                "Samples received from agents: stored, or repeated (a replay of a stored one) and"
                    + " not stored again.")
            .dataPoint(samples(registry.storedSamples(), "stored"))
            .dataPoint(samples(registry.repeatedSamples(), "repeated"))
            .build());
    return new MetricSnapshots(List.copyOf(all));
  }

  private static CounterDataPointSnapshot count(long value, Labels labels) {
    return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  private static CounterDataPointSnapshot samples(long count, String outcome) {
    return CounterDataPointSnapshot.builder()
        .value(count)
        .labels(Labels.of("outcome", outcome))
        .build();
  }

  private static GaugeSnapshot.Builder gauge(String name, String help) {
    return GaugeSnapshot.builder().name(name).help(help);
  }

  private static GaugeDataPointSnapshot point(double value, Labels labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  /** Per-mille as Prometheus's base unit for shares, a ratio from 0 to 1. */
  private static double ratio(int perMille) {
    return perMille / 1000.0;
  }

  private static double seconds(Instant instant) {
    return instant.toEpochMilli() / 1000.0;
  }
}
