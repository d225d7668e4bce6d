package io.vigia.collector.alert;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alerts in {@code /metrics}: how many are pending or firing per rule, severity and host (like
 * Prometheus' own {@code ALERTS}), and how notifying goes per receiver.
 */
final class AlertMetrics implements MultiCollector {

  private static final List<String> NAMES =
      List.of(
          "vigia_alerts",
          "vigia_alert_rules",
          "vigia_alert_notifications",
          "vigia_alert_notification_requests",
          "vigia_alert_notification_failures",
          "vigia_alert_notifications_dropped",
          "vigia_alert_notifications_queued",
          "vigia_alert_samples_dropped",
          "vigia_alert_samples_queued",
          "vigia_alert_rule_reloads",
          "vigia_alert_state_write_failures");

  private final Alerting alerting;

  AlertMetrics(Alerting alerting) {
    this.alerting = alerting;
  }

  @Override
  public MetricSnapshots collect() {
    var alerts =
        GaugeSnapshot.builder()
            .name("vigia_alerts")
            .help(
                "Alerts pending or firing, by rule (alertname), state (alertstate), severity and"
                    + " host.");
    Map<Labels, Integer> counts = new TreeMap<>();
    for (Alert alert : alerting.alerts()) {
      if (alert.state() == AlertState.PENDING || alert.state() == AlertState.FIRING) {
        counts.merge(
            Labels.of(
                "alertname",
                alert.name(),
                "alertstate",
                alert.state().name().toLowerCase(java.util.Locale.ROOT),
                "host",
                alert.host(),
                "severity",
                alert.severity()),
            1,
            Integer::sum);
      }
    }
    counts.forEach((labels, n) -> alerts.dataPoint(gauge(n, labels)));
    var rules = GaugeSnapshot.builder().name("vigia_alert_rules").help("Alerting rules in force.");
    rules.dataPoint(gauge(alerting.ruleNames().size(), Labels.EMPTY));
    var notifications =
        counter("vigia_alert_notifications", "Alerts that fired or resolved, to be notified.");
    notifications.dataPoint(count(alerting.notifications(), Labels.EMPTY));
    var requests =
        counter(
            "vigia_alert_notification_requests",
            "Requests a receiver accepted (Alertmanager: one per update or resend; webhook: one"
                + " per alert).");
    var failures =
        counter(
            "vigia_alert_notification_failures",
            "Requests to a receiver that failed; each retry counts.");
    var dropped =
        counter(
            "vigia_alert_notifications_dropped",
            "Notifications a receiver will never get: queue_full (the oldest made room) or"
                + " rejected (a 4xx answer; not retried).");
    var queued =
        GaugeSnapshot.builder()
            .name("vigia_alert_notifications_queued")
            .help("Notifications waiting for a receiver.");
    for (Delivery receiver : alerting.receivers()) {
      Labels labels = Labels.of("kind", receiver.kind, "receiver", receiver.url.toString());
      requests.dataPoint(count(receiver.sent.get(), labels));
      failures.dataPoint(count(receiver.failed.get(), labels));
      dropped.dataPoint(
          count(
              receiver.droppedQueueFull.get(),
              Labels.of(
                  "kind",
                  receiver.kind,
                  "reason",
                  "queue_full",
                  "receiver",
                  receiver.url.toString())));
      dropped.dataPoint(
          count(
              receiver.droppedRejected.get(),
              Labels.of(
                  "kind",
                  receiver.kind,
                  "reason",
                  "rejected",
                  "receiver",
                  receiver.url.toString())));
      queued.dataPoint(gauge(receiver.queued(), labels));
    }
    var samplesDropped =
        counter(
            "vigia_alert_samples_dropped",
            "Stored samples not evaluated by the rules, the alert thread's queue being full.");
    samplesDropped.dataPoint(count(alerting.samplesDropped(), Labels.EMPTY));
    var samplesQueued =
        GaugeSnapshot.builder()
            .name("vigia_alert_samples_queued")
            .help("Stored samples waiting for the alert thread.");
    samplesQueued.dataPoint(gauge(alerting.queued(), Labels.EMPTY));
    var reloads =
        counter(
            "vigia_alert_rule_reloads",
            "Readings of the rules file after the start (SIGHUP), by outcome: ok, or failed (the"
                + " rules in force stayed).");
    reloads.dataPoint(count(alerting.reloads(), Labels.of("outcome", "ok")));
    reloads.dataPoint(count(alerting.reloadFailures(), Labels.of("outcome", "failed")));
    var writeFailures =
        counter(
            "vigia_alert_state_write_failures",
            "Failed writes of the alert state file in the data directory.");
    writeFailures.dataPoint(count(alerting.stateWriteFailures(), Labels.EMPTY));
    return new MetricSnapshots(
        alerts.build(),
        rules.build(),
        notifications.build(),
        requests.build(),
        failures.build(),
        dropped.build(),
        queued.build(),
        samplesDropped.build(),
        samplesQueued.build(),
        reloads.build(),
        writeFailures.build());
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
