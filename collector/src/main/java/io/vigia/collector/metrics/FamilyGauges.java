package io.vigia.collector.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.vigia.collector.registry.Families;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory, load, disk and network figures of each host's newest sample as gauges ({@link
 * FamilySeries}), labelled by {@code host} and, per device, {@code mount}, {@code device} or {@code
 * interface}.
 *
 * <p>Not thread-safe: one instance per scrape.
 */
final class FamilyGauges {

  private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();

  FamilyGauges() {
    for (FamilySeries.Spec spec : FamilySeries.SPECS) {
      GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(spec.name()).help(spec.help());
      if (spec.unit() != null) {
        gauge.unit(new Unit(spec.unit()));
      }
      gauges.put(spec.name(), gauge);
    }
  }

  /** Adds one host's newest families. */
  void add(String host, Families families) {
    FamilySeries.forEach(
        families,
        (name, labels, value) -> {
          String[] pairs = new String[labels.length + 2];
          pairs[0] = "host";
          pairs[1] = host;
          System.arraycopy(labels, 0, pairs, 2, labels.length);
          gauges
              .get(name)
              .dataPoint(
                  GaugeDataPointSnapshot.builder().value(value).labels(Labels.of(pairs)).build());
        });
  }

  List<MetricSnapshot> build() {
    List<MetricSnapshot> all = new ArrayList<>();
    gauges.values().forEach(gauge -> all.add(gauge.build()));
    return all;
  }
}
