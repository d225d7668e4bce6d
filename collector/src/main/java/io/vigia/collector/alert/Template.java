package io.vigia.collector.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An annotation with the alert's figures filled in, written the way Prometheus rules write them:
 * {@code {{ $labels.hostname }}}, {@code {{ $value }}}, {@code {{ $threshold }}}, and the value
 * through {@code humanize}, {@code humanize1024}, {@code humanizePercentage} or {@code
 * humanizeDuration}. Compiled once when the rule is read; rendered only when an alert changes
 * state.
 *
 * <pre>
 * "{{ $labels.hostname }}: CPU {{ $value | humanizePercentage }} busy" -&gt; "web-1: CPU 97.2% busy"
 * </pre>
 */
final class Template {

  private static final Pattern FIELD =
      Pattern.compile(
          "\\{\\{\\s*\\$(value|threshold|labels\\.([A-Za-z_][A-Za-z0-9_]*))"
              + "\\s*(?:\\|\\s*(humanize|humanize1024|humanizePercentage|humanizeDuration)\\s*)?\\}\\}");

  private final String text;
  private final List<Part> parts;

  private record Part(String literal, String field, String label, String format) {}

  private Template(String text, List<Part> parts) {
    this.text = text;
    this.parts = parts;
  }

  /**
   * @throws IllegalArgumentException if a {@code {{ }}} is not one of the forms above
   */
  static Template compile(String text) {
    List<Part> parts = new ArrayList<>();
    Matcher m = FIELD.matcher(text);
    int last = 0;
    while (m.find()) {
      checkLiteral(text.substring(last, m.start()));
      parts.add(new Part(text.substring(last, m.start()), null, null, null));
      String field = m.group(2) != null ? "labels" : m.group(1);
      parts.add(new Part(null, field, m.group(2), m.group(3)));
      last = m.end();
    }
    checkLiteral(text.substring(last));
    parts.add(new Part(text.substring(last), null, null, null));
    return new Template(text, List.copyOf(parts));
  }

  private static void checkLiteral(String literal) {
    int open = literal.indexOf("{{");
    if (open >= 0) {
      String field = literal.substring(open, Math.min(literal.length(), open + 40));
      throw new IllegalArgumentException(
          "cannot fill in '"
              + field
              + "': write {{ $value }}, {{ $threshold }} or {{ $labels.NAME }}, optionally"
              + " followed by | humanize, humanize1024, humanizePercentage or humanizeDuration");
    }
  }

  String render(Map<String, String> labels, double value, double threshold) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (Part part : parts) {
      if (part.literal != null) {
        out.append(part.literal);
      } else if (part.field.equals("labels")) {
        out.append(labels.getOrDefault(part.label, ""));
      } else {
        out.append(format(part.field.equals("value") ? value : threshold, part.format));
      }
    }
    return out.toString();
  }

  static String format(double value, String format) {
    if (format == null) {
      return plain(value);
    }
    return switch (format) {
      case "humanizePercentage" -> plain(Math.round(value * 1000) / 10.0) + "%";
      case "humanize1024" -> scaled(value, 1024, new String[] {"", "Ki", "Mi", "Gi", "Ti", "Pi"});
      case "humanizeDuration" -> duration(value);
      default -> scaled(value, 1000, new String[] {"", "k", "M", "G", "T", "P"});
    };
  }

  private static String plain(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.4g", value).replaceAll("\\.?0+$", "");
  }

  private static String scaled(double value, double step, String[] prefixes) {
    int i = 0;
    double v = value;
    while (Math.abs(v) >= step && i < prefixes.length - 1) {
      v /= step;
      i++;
    }
    return String.format(Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "") + prefixes[i];
  }

  private static String duration(double seconds) {
    long s = Math.round(Math.abs(seconds));
    String sign = seconds < 0 ? "-" : "";
    if (s >= 86_400) {
      return sign + s / 86_400 + "d " + (s % 86_400) / 3600 + "h";
    }
    if (s >= 3600) {
      return sign + s / 3600 + "h " + (s % 3600) / 60 + "m";
    }
    if (s >= 60) {
      return sign + s / 60 + "m " + s % 60 + "s";
    }
    return sign + s + "s";
  }

  @Override
  public String toString() {
    return text;
  }
}
