package io.vigia.collector.http;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vigia.proto.ApiStreamStatus;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How the live stream stands: {@code GET /api/v1/stream/status} and its series in {@code /metrics}.
 *
 * <pre>
 * {"clients":2,"queued":3,"queueCapacity":16384,"lastId":"1733300000000123",
 *  "dropped":{"queue_full":"0"},"clientsClosed":{"too_slow":"1"}}
 * </pre>
 *
 * @param clients clients following the stream now
 * @param queued changes handed over by the links and not yet numbered
 * @param queueCapacity the most that can wait before the newest are dropped
 * @param lastId the id of the newest event
 * @param dropped changes that never became events, by reason
 * @param clientsClosed clients the collector disconnected, by reason
 */
record StreamStatus(
    int clients,
    int queued,
    int queueCapacity,
    long lastId,
    Map<String, Long> dropped,
    Map<String, Long> clientsClosed) {

  static final String PATH = "/api/v1/stream/status";

  StreamStatus {
    dropped = Map.copyOf(dropped);
    clientsClosed = Map.copyOf(clientsClosed);
  }

  String json() {
    return ApiJson.print(
        ApiStreamStatus.newBuilder()
            .setClients(clients)
            .setQueued(queued)
            .setQueueCapacity(queueCapacity)
            .setLastId(lastId)
            .putAllDropped(dropped)
            .putAllClientsClosed(clientsClosed));
  }

  /** The stream's series, read from {@code status} at each scrape. */
  static MultiCollector metrics(Supplier<StreamStatus> status) {
    return new MultiCollector() {
      @Override
      public MetricSnapshots collect() {
        StreamStatus now = status.get();
        var dropped =
            CounterSnapshot.builder()
                .name("vigia_stream_dropped_events")
                .help(
                    "Changes the live stream never sent, by reason: queue_full (its HTTP side"
                        + " fell behind the agents; clients were told to reload).");
        now.dropped().forEach((reason, n) -> dropped.dataPoint(count(n, reason)));
        var closed =
            CounterSnapshot.builder()
                .name("vigia_stream_clients_closed")
                .help("Live stream clients disconnected by the collector, by reason: too_slow.");
        now.clientsClosed().forEach((reason, n) -> closed.dataPoint(count(n, reason)));
        return new MetricSnapshots(
            dropped.build(),
            closed.build(),
            gauge("vigia_stream_clients", "Clients following the live stream now.", now.clients()),
            gauge(
                "vigia_stream_queued_events",
                "Changes waiting for the live stream's HTTP side.",
                now.queued()));
      }

      @Override
      public List<String> getPrometheusNames() {
        return List.of(
            "vigia_stream_dropped_events",
            "vigia_stream_clients_closed",
            "vigia_stream_clients",
            "vigia_stream_queued_events");
      }
    };
  }

  private static CounterDataPointSnapshot count(long value, String reason) {
    return CounterDataPointSnapshot.builder()
        .value(value)
        .labels(Labels.of("reason", reason))
        .build();
  }

  private static GaugeSnapshot gauge(String name, String help, double value) {
    return GaugeSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).build())
        .build();
  }
}
