package io.vigia.collector.alert;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The condition of a rule, in the part of PromQL a host alert needs: one series with label
 * matchers, optionally through {@code predict_linear} or {@code increase}, compared with a number.
 *
 * <pre>
 * vigia_host_cpu_busy_ratio &gt; 0.9
 * vigia_host_cpu_mode_ratio{mode="iowait"} &gt; 0.2
 * vigia_host_filesystem_used_ratio{mount!~"/boot.*"} &gt;= 0.9
 * predict_linear(vigia_host_filesystem_free_bytes[1h], 4h) &lt; 0
 * increase(vigia_host_agent_spool_dropped_samples[10m]) &gt; 0
 * vigia_host_up == 0
 * </pre>
 *
 * @param function what is compared: the value itself, its linear forecast or its increase
 * @param window the span {@code predict_linear} fits a line to, or {@code increase} looks back on;
 *     zero for a plain value
 * @param horizon how far ahead {@code predict_linear} forecasts; zero otherwise
 */
record Expr(
    Series series,
    List<LabelMatcher> matchers,
    Function function,
    Duration window,
    Duration horizon,
    Op op,
    double threshold,
    String text) {

  Expr {
    Objects.requireNonNull(series, "series");
    matchers = List.copyOf(matchers);
    Objects.requireNonNull(function, "function");
    Objects.requireNonNull(op, "op");
  }

  enum Function {
    VALUE,
    PREDICT_LINEAR,
    INCREASE
  }

  /** A comparison, as PromQL writes it. */
  enum Op {
    GT(">"),
    GE(">="),
    LT("<"),
    LE("<="),
    EQ("=="),
    NE("!=");

    final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    boolean holds(double value, double line) {
      return switch (this) {
        case GT -> value > line;
        case GE -> value >= line;
        case LT -> value < line;
        case LE -> value <= line;
        case EQ -> value == line;
        case NE -> value != line;
      };
    }

    /** Whether a clearing line past the threshold in this direction makes sense. */
    boolean upward() {
      return this == GT || this == GE;
    }
  }

  /**
   * Whether the series named by {@code labelValues} (in its dimension's label order) is watched.
   */
  boolean selects(String[] labelValues) {
    List<String> names = series.dimension.labels;
    for (LabelMatcher m : matchers) {
      int i = names.indexOf(m.label());
      if (!m.matches(i < 0 ? "" : labelValues[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return text;
  }
}
