package io.vigia.collector.alert;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An alert as it stands at one moment: an immutable copy, safe to hand to any thread.
 *
 * @param name the rule's name, also the {@code alertname} label
 * @param labels {@code alertname}, {@code host}, {@code hostname}, {@code severity}, the series'
 *     own labels ({@code mount}, {@code core}, ...) and the rule's, sorted by name
 * @param annotations the rule's annotations, filled in when the alert last changed state
 * @param activeAt when the condition began to hold
 * @param firedAt when it fired, or null if it has not
 * @param resolvedAt when it cleared after firing, or null
 * @param value the watched value when the alert last changed state
 */
public record Alert(
    String name,
    Map<String, String> labels,
    Map<String, String> annotations,
    AlertState state,
    Instant activeAt,
    Instant firedAt,
    Instant resolvedAt,
    double value) {

  public Alert {
    Objects.requireNonNull(name, "name");
    labels = new TreeMap<>(labels);
    labels = java.util.Collections.unmodifiableMap(labels);
    annotations = Map.copyOf(annotations);
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(activeAt, "activeAt");
  }

  public String host() {
    return labels.getOrDefault("host", "");
  }

  public String severity() {
    return labels.getOrDefault("severity", "warning");
  }

  public String summary() {
    return annotations.getOrDefault("summary", "");
  }

  /** When the current state began. */
  public Instant since() {
    return switch (state) {
      case FIRING -> firedAt;
      case RESOLVED -> resolvedAt;
      default -> activeAt;
    };
  }

  /** Names this alert among all others, from its labels (as Alertmanager's fingerprint does). */
  public String fingerprint() {
    long hash = 0xcbf29ce484222325L; // FNV-1a, 64 bits
    for (Map.Entry<String, String> e : labels.entrySet()) {
      for (byte b :
          (e.getKey() + '\u0000' + e.getValue() + '\u0000').getBytes(StandardCharsets.UTF_8)) {
        hash ^= b & 0xff;
        hash *= 0x100000001b3L;
      }
    }
    return String.format("%016x", hash);
  }
}
