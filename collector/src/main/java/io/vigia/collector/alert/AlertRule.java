package io.vigia.collector.alert;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One alerting rule, as read from a rules file or built in: a condition on one series, checked on
 * every sample of every host the rule applies to.
 *
 * @param name the alert's name, its {@code alertname} label; unique among the rules
 * @param expr what is watched and when it is bad
 * @param forDuration how long the condition must hold before the alert fires (0: at once)
 * @param clear once pending or firing, the alert ends only when the value is back past this line
 *     (hysteresis); equal to the threshold when no clearing line was given
 * @param hosts globs on host id or hostname; the rule applies to a host that matches one of them
 * @param labels added to the alert's labels; {@code severity} among them
 * @param annotations templates, {@code summary} among them, filled in with the host's figures
 * @param source where the rule was written, "FILE line N", for messages
 */
record AlertRule(
    String name,
    Expr expr,
    Duration forDuration,
    double clear,
    List<Pattern> hosts,
    Map<String, String> labels,
    Map<String, Template> annotations,
    String source) {

  AlertRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(expr, "expr");
    Objects.requireNonNull(forDuration, "forDuration");
    hosts = List.copyOf(hosts);
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  Severity severity() {
    return Severity.parse(labels.getOrDefault("severity", "warning"));
  }

  /** Whether this rule watches the host with {@code id} and {@code hostname}. */
  boolean appliesTo(String id, String hostname) {
    if (hosts.isEmpty()) {
      return true;
    }
    for (Pattern glob : hosts) {
      if (glob.matcher(id).matches() || glob.matcher(hostname).matches()) {
        return true;
      }
    }
    return false;
  }

  /** True if {@code value} breaks the rule: the alert becomes pending or fires. */
  boolean breaks(double value) {
    return expr.op().holds(value, expr.threshold());
  }

  /** True if {@code value}, of a pending or firing alert, keeps it so. */
  boolean stillBreaks(double value) {
    return expr.op().holds(value, clear);
  }

  /** How bad a firing alert is. */
  enum Severity {
    WARNING,
    CRITICAL;

    static Severity parse(String text) {
      return switch (text) {
        case "warning" -> WARNING;
        case "critical" -> CRITICAL;
        default ->
            throw new IllegalArgumentException(
                "severity must be warning or critical, not '" + text + "'");
      };
    }
  }
}
