package io.vigia.collector.cli;

/** Text charts from Unicode block elements: sparklines and horizontal bars. */
final class Sparkline {

  private static final char[] LEVELS = {'▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'};
  private static final char[] EIGHTHS = {' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'};

  private Sparkline() {}

  /**
   * {@code values} squeezed (bucket averages) or kept into at most {@code width} characters, each
   * one of eight heights between {@code min} and {@code max}; NaN (no figure) is a space.
   */
  static String of(double[] values, double min, double max, int width) {
    if (values.length == 0 || width < 1) {
      return "";
    }
    int cells = Math.min(width, values.length);
    StringBuilder out = new StringBuilder(cells);
    for (int cell = 0; cell < cells; cell++) {
      int from = (int) ((long) cell * values.length / cells);
      int to = (int) ((long) (cell + 1) * values.length / cells);
      double sum = 0;
      int n = 0;
      for (int i = from; i < to; i++) {
        if (!Double.isNaN(values[i])) {
          sum += values[i];
          n++;
        }
      }
      out.append(n == 0 ? ' ' : level(sum / n, min, max));
    }
    return out.toString();
  }

  /** One character of eight heights for {@code value} between {@code min} and {@code max}. */
  static char level(double value, double min, double max) {
    double span = max - min;
    int i = span <= 0 ? 0 : (int) Math.floor((value - min) / span * LEVELS.length);
    return LEVELS[Math.max(0, Math.min(LEVELS.length - 1, i))];
  }

  /** A bar {@code width} characters wide filled to {@code percent}, to an eighth of a cell. */
  static String bar(double percent, int width) {
    double filled = Math.max(0, Math.min(100, percent)) / 100 * width;
    int full = (int) filled;
    StringBuilder out = new StringBuilder(width);
    out.append("█".repeat(full));
    if (full < width) {
      out.append(EIGHTHS[(int) ((filled - full) * 8)]);
      out.append(" ".repeat(width - full - 1));
    }
    return out.toString();
  }
}
