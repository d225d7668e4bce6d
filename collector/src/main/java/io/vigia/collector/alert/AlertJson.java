package io.vigia.collector.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies the receivers get: Alertmanager's v2 {@code postableAlerts}, and the webhook's
 * body (Alertmanager's own webhook shape, one alert per request, see the README).
 */
final class AlertJson {

  /** Alertmanager's "no end": the alert holds until told otherwise or it times out. */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private AlertJson() {}

  /**
   * {@code POST /api/v2/alerts}: firing alerts end {@code 4 × resend} from now unless sent again
   * (as Prometheus does), so a collector that dies lets them time out; resolved ones end when they
   * resolved.
   *
   * @param generator a URL to link each alert to, or empty for none
   */
  static String alertmanager(List<Alert> alerts, Instant now, Duration resend, String generator) {
    StringBuilder out = new StringBuilder(256 * alerts.size() + 2).append('[');
    for (Alert alert : alerts) {
      if (alert.state() != AlertState.FIRING && alert.state() != AlertState.RESOLVED) {
        continue;
      }
      if (out.length() > 1) {
        out.append(',');
      }
      Instant ends =
          alert.state() == AlertState.FIRING
              ? now.plus(resend.multipliedBy(4))
              : alert.resolvedAt();
      out.append("{\"labels\":");
      map(out, alert.labels());
      out.append(",\"annotations\":");
      map(out, alert.annotations());
      out.append(",\"startsAt\":");
      string(out, alert.firedAt().toString());
      out.append(",\"endsAt\":");
      string(out, ends.toString());
      if (!generator.isEmpty()) {
        out.append(",\"generatorURL\":");
        string(out, generator);
      }
      out.append('}');
    }
    return out.append(']').toString();
  }

  /** The webhook's body for one alert that fired or resolved. */
  static String webhook(Alert alert, long sequence, Instant sentAt) {
    String status = alert.state() == AlertState.RESOLVED ? "resolved" : "firing";
    StringBuilder out = new StringBuilder(512);
    out.append("{\"version\":\"4\",\"receiver\":\"vigia\",\"status\":\"").append(status);
    out.append("\",\"sequence\":").append(sequence);
    out.append(",\"sentAt\":");
    string(out, sentAt.toString());
    out.append(",\"alerts\":[{\"status\":\"").append(status).append("\",\"labels\":");
    map(out, alert.labels());
    out.append(",\"annotations\":");
    map(out, alert.annotations());
    out.append(",\"startsAt\":");
    string(out, (alert.firedAt() != null ? alert.firedAt() : alert.activeAt()).toString());
    out.append(",\"endsAt\":");
    string(out, alert.resolvedAt() != null ? alert.resolvedAt().toString() : ZERO_TIME);
    out.append(",\"fingerprint\":");
    string(out, alert.fingerprint());
    out.append(",\"value\":");
    number(out, alert.value());
    return out.append("}]}").toString();
  }

  static void map(StringBuilder out, Map<String, String> map) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, e.getKey());
      out.append(':');
      string(out, e.getValue());
    }
    out.append('}');
  }

  static void number(StringBuilder out, double value) {
    if (Double.isFinite(value)) {
      out.append(value);
    } else {
      out.append("null");
    }
  }

  static void string(StringBuilder out, String text) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
