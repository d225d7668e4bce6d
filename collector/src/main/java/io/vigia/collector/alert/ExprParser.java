package io.vigia.collector.alert;

import io.vigia.codec.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/** Reads the {@code expr} of a rule; see {@link Expr} for what it accepts. */
final class ExprParser {

  private final String text;
  private int pos;

  private ExprParser(String text) {
    this.text = text;
  }

  /**
   * @throws IllegalArgumentException saying what is wrong and where in the expression
   */
  static Expr parse(String text) {
    return new ExprParser(text).expr();
  }

  private Expr expr() {
    skipSpace();
    String word = identifier("a series name or predict_linear(...) or increase(...)");
    Expr.Function function = Expr.Function.VALUE;
    Duration window = Duration.ZERO;
    Duration horizon = Duration.ZERO;
    String metric = word;
    List<LabelMatcher> matchers;
    if (word.equals("predict_linear") || word.equals("increase")) {
      function = word.equals("increase") ? Expr.Function.INCREASE : Expr.Function.PREDICT_LINEAR;
      expect('(');
      metric = identifier("a series name");
      matchers = matchers();
      expect('[');
      window = duration(']');
      expect(']');
      if (function == Expr.Function.PREDICT_LINEAR) {
        expect(',');
        horizon = duration(')');
      }
      expect(')');
    } else {
      matchers = matchers();
    }
    String name = metric;
    Series series =
        Series.byMetric(name)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown series '"
                            + name
                            + "'; alerts can watch "
                            + java.util.Arrays.stream(Series.values())
                                .map(s -> s.metric)
                                .collect(Collectors.joining(", "))));
    for (LabelMatcher m : matchers) {
      if (!series.dimension.labels.contains(m.label())) {
        throw new IllegalArgumentException(
            metric
                + " has no label '"
                + m.label()
                + "'"
                + (series.dimension.labels.isEmpty()
                    ? ""
                    : "; its labels are " + String.join(", ", series.dimension.labels)));
      }
    }
    if (series.counter() != (function == Expr.Function.INCREASE)) {
      throw new IllegalArgumentException(
          series.counter()
              ? metric + " is a counter: watch increase(" + metric + "[10m])"
              : "increase() needs a counter, and " + metric + " is not one");
    }
    if (series == Series.UP && function != Expr.Function.VALUE) {
      throw new IllegalArgumentException("vigia_host_up can only be compared: vigia_host_up == 0");
    }
    if (function != Expr.Function.VALUE && window.isZero()) {
      throw new IllegalArgumentException("the range [" + window + "] must be positive");
    }
    skipSpace();
    Expr.Op op = op();
    skipSpace();
    double threshold = number();
    skipSpace();
    if (pos < text.length()) {
      throw error("nothing may follow the threshold");
    }
    return new Expr(series, matchers, function, window, horizon, op, threshold, text.strip());
  }

  private List<LabelMatcher> matchers() {
    List<LabelMatcher> matchers = new ArrayList<>();
    skipSpace();
    if (!peek('{')) {
      return matchers;
    }
    pos++;
    while (true) {
      skipSpace();
      if (peek('}')) {
        pos++;
        return matchers;
      }
      String label = identifier("a label name");
      skipSpace();
      String op;
      if (text.startsWith("=~", pos) || text.startsWith("!~", pos) || text.startsWith("!=", pos)) {
        op = text.substring(pos, pos + 2);
        pos += 2;
      } else if (peek('=')) {
        op = "=";
        pos++;
      } else {
        throw error("expected =, !=, =~ or !~ after " + label);
      }
      skipSpace();
      String value = quoted();
      try {
        matchers.add(LabelMatcher.of(label, op, value));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(
            "bad regular expression \"" + value + "\": " + e.getDescription(), e);
      }
      skipSpace();
      if (peek(',')) {
        pos++;
      } else if (!peek('}')) {
        throw error("expected , or } in the label matchers");
      }
    }
  }

  private Expr.Op op() {
    for (Expr.Op op : new Expr.Op[] {Expr.Op.GE, Expr.Op.LE, Expr.Op.EQ, Expr.Op.NE}) {
      if (text.startsWith(op.symbol, pos)) {
        pos += 2;
        return op;
      }
    }
    if (peek('>')) {
      pos++;
      return Expr.Op.GT;
    }
    if (peek('<')) {
      pos++;
      return Expr.Op.LT;
    }
    throw error("expected a comparison (>, >=, <, <=, ==, !=) and a threshold");
  }

  private double number() {
    int start = pos;
    while (pos < text.length() && "+-.0123456789eE".indexOf(text.charAt(pos)) >= 0) {
      pos++;
    }
    try {
      double value = Double.parseDouble(text.substring(start, pos));
      if (!Double.isFinite(value)) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      pos = start;
      throw error("expected a number as the threshold");
    }
  }

  private Duration duration(char end) {
    skipSpace();
    int close = text.indexOf(end, pos);
    if (close < 0) {
      throw error("expected a duration and " + end);
    }
    String value = text.substring(pos, close).strip();
    Duration duration = Durations.parse(value);
    pos = close;
    return duration;
  }

  private String quoted() {
    if (!peek('"')) {
      throw error("expected a value in double quotes");
    }
    int close = text.indexOf('"', pos + 1);
    if (close < 0) {
      throw error("the quoted value is not closed");
    }
    String value = text.substring(pos + 1, close);
    pos = close + 1;
    return value;
  }

  private String identifier(String what) {
    skipSpace();
    int start = pos;
    while (pos < text.length()
        && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
      pos++;
    }
    if (start == pos) {
      throw error("expected " + what);
    }
    return text.substring(start, pos);
  }

  private void expect(char c) {
    skipSpace();
    if (!peek(c)) {
      throw error("expected '" + c + "'");
    }
    pos++;
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private IllegalArgumentException error(String message) {
    return new IllegalArgumentException(
        message + " at column " + (pos + 1) + " of '" + text.strip() + "'");
  }
}
