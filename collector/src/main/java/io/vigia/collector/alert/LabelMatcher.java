package io.vigia.collector.alert;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code label="value"}, {@code !=}, {@code =~} or {@code !~} (a regular expression matched against
 * the whole value, as in PromQL). Checked once per series, when it first appears.
 */
record LabelMatcher(String label, String op, String value, Pattern regex) {

  LabelMatcher {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(value, "value");
  }

  static LabelMatcher of(String label, String op, String value) {
    Pattern regex = op.endsWith("~") ? Pattern.compile(value) : null;
    return new LabelMatcher(label, op, value, regex);
  }

  boolean matches(String actual) {
    return switch (op) {
      case "=" -> value.equals(actual);
      case "!=" -> !value.equals(actual);
      case "=~" -> regex.matcher(actual).matches();
      default -> !regex.matcher(actual).matches();
    };
  }
}
