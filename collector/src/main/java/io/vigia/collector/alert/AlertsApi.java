package io.vigia.collector.alert;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import io.vigia.collector.alert.api.ApiAlert;
import io.vigia.collector.alert.api.ApiAlertList;
import io.vigia.collector.alert.api.ApiAlertReceiver;

/**
 * {@code GET /api/v1/alerts} ({@code ApiAlertList} in the proto3 JSON mapping), and the alert of an
 * SSE event {@code alert}.
 *
 * <pre>
 * {"alerts": [{"name": "HostCpuSaturated", "state": "FIRING", "host": "web-1",
 *   "severity": "warning", "labels": {...}, "annotations": {"summary": "web-1: CPU 97.2% busy"},
 *   "activeAt": "2026-12-04T19:00:00Z", "firedAt": "2026-12-04T19:05:00Z", "value": 0.972,
 *   "fingerprint": "5f0c...", "summary": "web-1: CPU 97.2% busy"}],
 *  "firing": 1, "pending": 0, "rules": ["HostLost", ...], "receivers": [...], "samplesDropped": "0"}
 * </pre>
 */
public final class AlertsApi {

  private AlertsApi() {}

  static String list(Alerting alerting) {
    ApiAlertList.Builder list = ApiAlertList.newBuilder();
    int firing = 0;
    int pending = 0;
    for (Alert alert : alerting.alerts()) {
      list.addAlerts(message(alert));
      firing += alert.state() == AlertState.FIRING ? 1 : 0;
      pending += alert.state() == AlertState.PENDING ? 1 : 0;
    }
    list.setFiring(firing).setPending(pending).addAllRules(alerting.ruleNames());
    for (Delivery receiver : alerting.receivers()) {
      list.addReceivers(
          ApiAlertReceiver.newBuilder()
              .setKind(receiver.kind)
              .setUrl(receiver.url.toString())
              .setSent(receiver.sent.get())
              .setFailed(receiver.failed.get())
              .putDropped("queue_full", receiver.droppedQueueFull.get())
              .putDropped("rejected", receiver.droppedRejected.get())
              .setQueued(receiver.queued())
              .setLastError(receiver.lastError()));
    }
    list.setSamplesDropped(alerting.samplesDropped());
    return print(list);
  }

  /** One alert as JSON, as the live stream's {@code alert} event carries it. */
  public static String json(Alert alert) {
    return print(message(alert));
  }

  /** The alert as an event {@code alert} of the live stream carries it. */
  public static io.vigia.proto.ApiStreamAlert stream(Alert alert) {
    return io.vigia.proto.ApiStreamAlert.newBuilder()
        .setName(alert.name())
        .setState(alert.state().name())
        .setSeverity(alert.severity())
        .setSummary(alert.summary())
        .putAllLabels(alert.labels())
        .setSince(
            Timestamps.fromMillis(
                (alert.since() != null ? alert.since() : alert.activeAt()).toEpochMilli()))
        .setFingerprint(alert.fingerprint())
        .build();
  }

  static ApiAlert.Builder message(Alert alert) {
    ApiAlert.Builder out =
        ApiAlert.newBuilder()
            .setName(alert.name())
            .setState(alert.state().name())
            .setHost(alert.host())
            .setSeverity(alert.severity())
            .putAllLabels(alert.labels())
            .putAllAnnotations(alert.annotations())
            .setActiveAt(Timestamps.fromMillis(alert.activeAt().toEpochMilli()))
            .setValue(Double.isFinite(alert.value()) ? alert.value() : 0)
            .setFingerprint(alert.fingerprint())
            .setSummary(alert.summary());
    if (alert.firedAt() != null) {
      out.setFiredAt(Timestamps.fromMillis(alert.firedAt().toEpochMilli()));
    }
    if (alert.resolvedAt() != null) {
      out.setResolvedAt(Timestamps.fromMillis(alert.resolvedAt().toEpochMilli()));
    }
    return out;
  }

  private static String print(com.google.protobuf.MessageOrBuilder message) {
    try {
      return JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot render the alerts", e);
    }
  }
}
