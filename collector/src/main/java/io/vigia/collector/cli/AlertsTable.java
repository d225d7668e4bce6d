package io.vigia.collector.cli;

import io.vigia.collector.alert.api.ApiAlert;
import io.vigia.collector.alert.api.ApiAlertList;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The table of {@code vigia alerts}, 80 columns wide at most: a line per alert, its summary on the
 * next one, indented, cut to fit.
 *
 * <pre>
 * STATE     SEV   ALERT                       HOST                        SINCE
 * FIRING    crit  HostLost                    web-1                       4m
 *   web-1.example.org (web-1): no sample and no link from its agent
 * PENDING   warn  HostCpuSaturated            db-2                        30s
 *   db-2: CPU 93.1% busy
 * 1 firing, 1 pending
 * </pre>
 */
final class AlertsTable {

  static final int WIDTH = 80;

  private AlertsTable() {}

  static String render(ApiAlertList alerts, Instant now) {
    StringBuilder out = new StringBuilder();
    if (alerts.getAlertsCount() == 0) {
      out.append("No alerts (").append(alerts.getRulesCount()).append(" rules in force)\n");
      return out.toString();
    }
    out.append(line("STATE", "SEV", "ALERT", "HOST", "SINCE", ""));
    for (ApiAlert alert : alerts.getAlertsList()) {
      var since =
          switch (alert.getState()) {
            case "FIRING" -> alert.getFiredAt();
            case "RESOLVED" -> alert.getResolvedAt();
            default -> alert.getActiveAt();
          };
      Duration age =
          Duration.between(Instant.ofEpochSecond(since.getSeconds(), since.getNanos()), now);
      out.append(
          line(
              alert.getState(),
              alert.getSeverity().equals("critical") ? "crit" : "warn",
              alert.getName(),
              alert.getHost(),
              age(age),
              alert.getSummary()));
    }
    out.append(alerts.getFiring())
        .append(" firing, ")
        .append(alerts.getPending())
        .append(" pending\n");
    return out.toString();
  }

  private static String line(
      String state, String severity, String name, String host, String since, String summary) {
    String head =
        String.format(
            Locale.ROOT,
            "%-9s %-5s %-27s %-27s %s",
            state,
            severity,
            cut(name, 27),
            cut(host, 27),
            since);
    return head.stripTrailing()
        + "\n"
        + (summary.isEmpty() ? "" : "  " + cut(summary, WIDTH - 2) + "\n");
  }

  static String cut(String text, int width) {
    return text.length() <= width ? text : text.substring(0, Math.max(0, width - 1)) + "…";
  }

  static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 86_400) {
      return s / 3600 + "h";
    }
    return s / 86_400 + "d";
  }
}
