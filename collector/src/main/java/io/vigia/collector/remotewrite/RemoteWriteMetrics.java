package io.vigia.collector.remotewrite;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.List;

/** The remote-write figures of every receiver in {@code /metrics}, labelled by {@code receiver}. */
final class RemoteWriteMetrics implements MultiCollector {

  private static final List<String> NAMES =
      List.of(
          "vigia_remote_write_sent_samples",
          "vigia_remote_write_sent_series_samples",
          "vigia_remote_write_sent_bytes",
          "vigia_remote_write_retried_samples",
          "vigia_remote_write_dropped_samples",
          "vigia_remote_write_queued_samples",
          "vigia_remote_write_queue_capacity_samples",
          "vigia_remote_write_lag_seconds");

  private final RemoteWrite remoteWrite;

  RemoteWriteMetrics(RemoteWrite remoteWrite) {
    this.remoteWrite = remoteWrite;
  }

  @Override
  public MetricSnapshots collect() {
    List<ReceiverStatus> receivers = remoteWrite.status();
    if (receivers.isEmpty()) {
      return new MetricSnapshots(); // no series to describe
    }
    var sent =
        counter(
            "vigia_remote_write_sent_samples",
            "Samples (host snapshots) a remote-write receiver accepted.");
    var series =
        counter(
            "vigia_remote_write_sent_series_samples",
            "Prometheus samples (values of one series) a remote-write receiver accepted.");
    var bytes =
        counter("vigia_remote_write_sent_bytes", "Compressed request bodies a receiver accepted.")
            .unit(Unit.BYTES);
    var retried =
        counter(
            "vigia_remote_write_retried_samples",
            "Samples sent again after a network error, a 5xx or a 429, once per retry.");
    var dropped =
        counter(
            "vigia_remote_write_dropped_samples",
            "Samples lost on the way to a receiver: queue_full (the oldest made room), or http_4xx"
                + " (the receiver refused them; not retried).");
    var queued =
        GaugeSnapshot.builder()
            .name("vigia_remote_write_queued_samples")
            .help("Samples waiting to be sent to a receiver.");
    var capacity =
        GaugeSnapshot.builder()
            .name("vigia_remote_write_queue_capacity_samples")
            .help("Samples that can wait for a receiver before the oldest are dropped.");
    var lag =
        GaugeSnapshot.builder()
            .name("vigia_remote_write_lag_seconds")
            .help("Age of the oldest sample not yet delivered to a receiver; 0 when none waits.")
            .unit(Unit.SECONDS);
    for (ReceiverStatus status : receivers) {
      Labels labels = Labels.of("receiver", status.url());
      sent.dataPoint(count(status.sent(), labels));
      series.dataPoint(count(status.seriesSamplesSent(), labels));
      bytes.dataPoint(count(status.bytesSent(), labels));
      retried.dataPoint(count(status.retried(), labels));
      status
          .dropped()
          .forEach(
              (reason, n) ->
                  dropped.dataPoint(
                      count(n, Labels.of("reason", reason, "receiver", status.url()))));
      queued.dataPoint(gauge(status.queued(), labels));
      capacity.dataPoint(gauge(status.queueCapacity(), labels));
      lag.dataPoint(gauge(status.lagSeconds(), labels));
    }
    return new MetricSnapshots(
        sent.build(),
        series.build(),
        bytes.build(),
        retried.build(),
        dropped.build(),
        queued.build(),
        capacity.build(),
        lag.build());
  }

  @Override
  public List<String> getPrometheusNames() {
    return NAMES;
  }

  private static CounterSnapshot.Builder counter(String name, String help) {
    return CounterSnapshot.builder().name(name).help(help);
  }

  private static CounterDataPointSnapshot count(long value, Labels labels) {
    return CounterDataPointSnapshot.builder().value(value).labels(labels).build();
  }

  private static GaugeDataPointSnapshot gauge(double value, Labels labels) {
    return GaugeDataPointSnapshot.builder().value(value).labels(labels).build();
  }
}
