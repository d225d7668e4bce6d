package io.vigia.collector.store;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The store's figures in {@code /metrics}, read from {@link Store#status()} at scrape time. Nothing
 * when the collector keeps its samples in memory only, but {@code vigia_store_durable 0}.
 */
public final class StoreMetrics implements MultiCollector {

  private static final List<String> NAMES =
      List.of(
          "vigia_store_durable",
          "vigia_store_writable",
          "vigia_store_log_bytes",
          "vigia_store_log_segments",
          "vigia_store_oldest_sample_timestamp_seconds",
          "vigia_store_queued_bytes",
          "vigia_store_write_failures",
          "vigia_store_committed_records",
          "vigia_store_dropped_samples",
          "vigia_store_fsync_duration_seconds",
          "vigia_store_recovered_hosts",
          "vigia_store_recovered_samples",
          "vigia_store_recovery_skipped",
          "vigia_store_recovery_seconds");

  private static final double[] BOUNDS;

  static {
    BOUNDS = Arrays.copyOf(FsyncTimes.BOUNDS, FsyncTimes.BOUNDS.length + 1);
    BOUNDS[BOUNDS.length - 1] = Double.POSITIVE_INFINITY;
  }

  private final Store store;

  public StoreMetrics(Store store) {
    this.store = store;
  }

  @Override
  public MetricSnapshots collect() {
    StoreStatus status = store.status();
    List<MetricSnapshot> out = new ArrayList<>();
    out.add(
        gauge(
            "vigia_store_durable",
            "1 if acknowledged samples are kept in a data directory, 0 if in memory only.",
            status.durable() ? 1 : 0));
    if (!status.durable()) {
      return new MetricSnapshots(out);
    }
    out.add(
        gauge(
            "vigia_store_writable",
            "0 while the write-ahead log cannot be written (disk full or failing): agents are"
                + " refused and keep their samples.",
            status.writable() ? 1 : 0));
    out.add(
        gauge(
            "vigia_store_log_bytes",
            "Bytes in the write-ahead log's segment files.",
            status.logBytes(),
            Unit.BYTES));
    out.add(gauge("vigia_store_log_segments", "Segment files of the log.", status.segments()));
    out.add(
        gauge(
            "vigia_store_block_bytes",
            "Bytes in the blocks: the hosts' sealed history chunks.",
            status.blocks().bytes(),
            Unit.BYTES));
    out.add(
        gauge(
            "vigia_store_block_segments",
            "Segment files of the blocks.",
            status.blocks().segments()));
    out.add(gauge("vigia_store_block_chunks", "Chunks in the blocks.", status.blocks().chunks()));
    out.add(
        gauge(
            "vigia_store_block_samples",
            "Samples in the blocks (the newest of each host may be in the log only).",
            status.blocks().samples()));
    out.add(
        counter(
            "vigia_store_checkpoints",
            "Checkpoints: every open chunk sealed into the blocks and the log behind deleted.",
            status.blocks().checkpoints()));
    if (status.oldestSample() != null) {
      out.add(
          gauge(
              "vigia_store_oldest_sample_timestamp_seconds",
              "Time of the oldest sample the store keeps.",
              status.oldestSample().toEpochMilli() / 1000.0));
    }
    out.add(
        gauge(
            "vigia_store_queued_bytes",
            "Records waiting to be written.",
            status.queuedBytes(),
            Unit.BYTES));
    out.add(
        counter(
            "vigia_store_write_failures",
            "Commits of the log that failed (each is retried until it succeeds).",
            status.writeFailures()));
    out.add(
        counter(
            "vigia_store_committed_records",
            "Records written to the log since start.",
            status.committedRecords()));
    var dropped =
        CounterSnapshot.builder()
            .name("vigia_store_dropped_samples")
            .help(
                "Acknowledged samples deleted from the store, by reason: retention_age (--retention),"
                    + " retention_size (--retention-size), corrupt (failed checksums at start).");
    status
        .dropped()
        .forEach(
            (reason, n) ->
                dropped.dataPoint(
                    CounterDataPointSnapshot.builder()
                        .value(n)
                        .labels(Labels.of("reason", reason))
                        .build()));
    out.add(dropped.build());
    FsyncTimes.Snapshot fsyncs = status.fsyncs();
    out.add(
        HistogramSnapshot.builder()
            .name("vigia_store_fsync_duration_seconds")
            .help("Time each fsync of the log took.")
            .unit(Unit.SECONDS)
            .dataPoint(
                HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(BOUNDS, fsyncs.buckets()))
                    .sum(fsyncs.sumSeconds())
                    .build())
            .build());
    StoreStatus.Recovery recovery = status.recovery();
    out.add(
        gauge(
            "vigia_store_recovered_hosts",
            "Hosts read back from the log at start.",
            recovery.hosts()));
    out.add(
        gauge(
            "vigia_store_recovered_samples",
            "Samples read back from the log at start.",
            recovery.samples()));
    var skipped =
        GaugeSnapshot.builder()
            .name("vigia_store_recovery_skipped")
            .help(
                "What the last start could not read back, by kind: torn_bytes (an unfinished last"
                    + " write, cut), corrupt_regions and corrupt_bytes (failed checksums, skipped),"
                    + " unrestorable_samples (records whose host or bytes were not valid).");
    skipped.dataPoint(point(recovery.tornBytes(), "torn_bytes"));
    skipped.dataPoint(point(recovery.corruptRegions(), "corrupt_regions"));
    skipped.dataPoint(point(recovery.corruptBytes(), "corrupt_bytes"));
    skipped.dataPoint(point(recovery.unrestorable(), "unrestorable_samples"));
    out.add(skipped.build());
    out.add(
        gauge(
            "vigia_store_recovery_seconds",
            "How long the last start took to read the log.",
            recovery.took().toNanos() / 1e9,
            Unit.SECONDS));
    return new MetricSnapshots(out);
  }

  @Override
  public List<String> getPrometheusNames() {
    return NAMES;
  }

  private static GaugeDataPointSnapshot point(double value, String kind) {
    return GaugeDataPointSnapshot.builder().value(value).labels(Labels.of("kind", kind)).build();
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }

  private static GaugeSnapshot gauge(String name, String help, double value, Unit unit) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .unit(unit)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }

  private static CounterSnapshot counter(String name, String help, long value) {
    return CounterSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(CounterDataPointSnapshot.builder().value(value).build())
        .build();
  }
}
