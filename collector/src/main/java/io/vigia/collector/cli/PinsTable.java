package io.vigia.collector.cli;

import com.google.protobuf.util.Timestamps;
import io.vigia.proto.ApiPin;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Renders the pins as a table of at most 80 columns: ids and host names longer than their column
 * are cut, with a {@code ~} at the end ({@code --json} has them whole).
 */
final class PinsTable {

  private static final int ID_WIDTH = 18;
  private static final int HOSTNAME_WIDTH = 14;
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
  private static final String FORMAT = "%-18s  %-14s  %-11s  %-8s  %-10s  %9s";

  private PinsTable() {}

  static String render(List<ApiPin> pins, Instant now) {
    if (pins.isEmpty()) {
      return "No agent has enrolled with this collector yet.\n";
    }
    StringBuilder out = new StringBuilder();
    line(out, "ID", "HOSTNAME", "KIND", "STATE", "ENROLLED", "LAST SEEN");
    for (ApiPin pin : pins) {
      line(
          out,
          cut(pin.getId(), ID_WIDTH),
          cut(pin.getHostname(), HOSTNAME_WIDTH),
          pin.getKind(),
          pin.getState(),
          DAY.format(Instant.ofEpochMilli(Timestamps.toMillis(pin.getEnrolledAt()))),
          pin.getConnected()
              ? "connected"
              : pin.hasLastSeen()
                  ? AgentsTable.age(
                      Duration.between(
                          Instant.ofEpochMilli(Timestamps.toMillis(pin.getLastSeen())), now))
                  : "never");
    }
    return out.toString();
  }

  private static void line(StringBuilder out, Object... cells) {
    out.append(String.format(java.util.Locale.ROOT, FORMAT, cells).stripTrailing()).append('\n');
  }

  /** {@code text}, cut to {@code width} characters with a {@code ~} last if it was longer. */
  static String cut(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "~";
  }
}
