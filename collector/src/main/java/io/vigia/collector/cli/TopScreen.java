package io.vigia.collector.cli;

import io.vigia.proto.HostState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Lays out one screen of {@code vigia top} for a terminal of a given size: the fleet (a row per
 * host) or one host (a bar per core and its recent history). Pure: the same model, view and size
 * give the same lines.
 */
final class TopScreen {

  /** Below this width the fleet table keeps only host, CPU and memory, as plain figures. */
  static final int NARROW = 60;

  /** What the person chose: order, filter, selection, the host open. */
  static final class View {
    TopModel.Sort sort = TopModel.Sort.CPU;
    String filter = "";

    /** Non-null while the filter is being typed. */
    String draft;

    int selected;
    String open;
    boolean live;
    String linkWhy = "connecting";
  }

  private static final AttributedStyle HEADER = AttributedStyle.DEFAULT.inverse();
  private static final AttributedStyle DIM = AttributedStyle.DEFAULT.faint();
  private static final AttributedStyle SELECTED = AttributedStyle.DEFAULT.inverse();

  private TopScreen() {}

  static List<AttributedString> render(
      TopModel model, View view, int width, int height, Instant now) {
    List<AttributedString> lines =
        view.open != null && model.row(view.open) != null
            ? host(model.row(view.open), view, width, height, now)
            : fleet(model, view, width, height, now);
    List<AttributedString> fitted = new ArrayList<>(lines.size());
    for (AttributedString line : lines.subList(0, Math.min(lines.size(), height))) {
      fitted.add(line.columnLength() > width ? line.columnSubSequence(0, width) : line);
    }
    return fitted;
  }

  private static List<AttributedString> fleet(
      TopModel model, View view, int width, int height, Instant now) {
    List<AttributedString> lines = new ArrayList<>();
    List<TopModel.Row> rows = model.rows(view.sort, view.filter);
    String title =
        String.format(
            Locale.ROOT,
            "vigia top  %d hosts, %d connected  sort: %s%s  %s",
            model.size(),
            model.connected(),
            view.sort.name().toLowerCase(Locale.ROOT),
            view.filter.isEmpty() ? "" : "  filter: " + view.filter,
            view.live ? "live" : view.linkWhy);
    lines.add(padded(title, width, HEADER));
    boolean narrow = width < NARROW;
    int strip = Math.max(0, width - 86);
    lines.add(
        new AttributedString(
            narrow
                ? String.format(
                    Locale.ROOT, "%-" + (width - 16) + "s %6s %7s", "HOST", "CPU", "MEM")
                : String.format(
                    Locale.ROOT,
                    "%-18s %-9s %6s %-12s %6s %6s %10s %10s %s",
                    "HOST",
                    "STATE",
                    "CPU",
                    "",
                    "MEM",
                    "LOAD",
                    "NET IN",
                    "NET OUT",
                    strip > 0 ? "CORES" : ""),
            DIM));
    int room = Math.max(0, height - 3);
    view.selected = Math.max(0, Math.min(view.selected, rows.size() - 1));
    int first = Math.max(0, Math.min(view.selected - room + 1, rows.size() - room));
    first = Math.max(0, Math.min(first, view.selected));
    for (int i = first; i < Math.min(rows.size(), first + room); i++) {
      TopModel.Row row = rows.get(i);
      AttributedString line = narrow ? narrowRow(row, width) : wideRow(row, strip);
      lines.add(i == view.selected ? padded(line.toString(), width, SELECTED) : line);
    }
    if (rows.isEmpty()) {
      lines.add(
          new AttributedString(
              model.size() == 0 ? "no hosts yet" : "no host matches '" + view.filter + "'", DIM));
    }
    while (lines.size() < height - 1) {
      lines.add(AttributedString.EMPTY);
    }
    lines.add(footer(view, width));
    return lines;
  }

  private static AttributedString narrowRow(TopModel.Row row, int width) {
    return new AttributedString(
        String.format(
            Locale.ROOT,
            "%-" + (width - 16) + "s %6s %7s",
            clip(row.id(), width - 16),
            percent(row.cpuPercent()),
            percent(row.memoryPercent())));
  }

  private static AttributedString wideRow(TopModel.Row row, int strip) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    HostState state = row.agent.getState();
    b.append(String.format(Locale.ROOT, "%-18s ", clip(row.id(), 18)));
    b.append(
        String.format(Locale.ROOT, "%-9s ", state.name()),
        state == HostState.CONNECTED ? AttributedStyle.DEFAULT : stateStyle(state));
    double cpu = row.cpuPercent();
    b.append(String.format(Locale.ROOT, "%6s ", percent(cpu)));
    b.append(Double.isNaN(cpu) ? " ".repeat(12) : Sparkline.bar(cpu, 12), loadStyle(cpu));
    b.append(
        String.format(
            Locale.ROOT,
            " %6s %6s %10s %10s ",
            percent(row.memoryPercent()),
            Double.isNaN(row.load1()) ? "-" : String.format(Locale.ROOT, "%.2f", row.load1()),
            rate(row.netRx()),
            rate(row.netTx())));
    List<Double> cores = row.cores();
    for (int i = 0; i < Math.min(strip, cores.size()); i++) {
      double core = cores.get(i);
      b.append(String.valueOf(Sparkline.level(core, 0, 100)), loadStyle(core));
    }
    return b.toAttributedString();
  }

  private static List<AttributedString> host(
      TopModel.Row row, View view, int width, int height, Instant now) {
    List<AttributedString> lines = new ArrayList<>();
    var agent = row.agent;
    lines.add(
        padded(
            String.format(
                Locale.ROOT,
                "%s (%s)  %s  %d cores  %s  last seen %s",
                agent.getId(),
                agent.getHostname(),
                agent.getState().name(),
                agent.getCores(),
                agent.getOs(),
                AgentsTable.age(Duration.between(row.lastSeen(), now))),
            width,
            HEADER));
    double cpu = row.cpuPercent();
    lines.add(
        new AttributedString(
            String.format(
                Locale.ROOT,
                "CPU %s  memory %s of %s  load %s  net in %s  out %s",
                percent(cpu),
                percent(row.memoryPercent()),
                Double.isNaN(row.memoryTotalBytes())
                    ? "-"
                    : HostReport.bytes(row.memoryTotalBytes()),
                Double.isNaN(row.load1()) ? "-" : String.format(Locale.ROOT, "%.2f", row.load1()),
                rate(row.netRx()),
                rate(row.netTx()))));
    lines.add(AttributedString.EMPTY);
    List<Double> cores = row.cores();
    // Leave room for the two history lines, their captions and the footer.
    int coreRows = Math.max(1, height - lines.size() - 6);
    // As few columns as fit the cores in the rows there are, as many as the width allows.
    int columns =
        Math.min(Math.max(1, width / 28), Math.max(1, (cores.size() + coreRows - 1) / coreRows));
    int perColumn = (cores.size() + columns - 1) / columns;
    int columnWidth = width / columns;
    int barWidth = Math.max(4, columnWidth - 16);
    for (int r = 0; r < perColumn; r++) {
      AttributedStringBuilder b = new AttributedStringBuilder();
      for (int c = 0; c < columns; c++) {
        int core = c * perColumn + r;
        if (core >= cores.size()) {
          break;
        }
        double p = cores.get(core);
        b.append(String.format(Locale.ROOT, "%4d ", core));
        b.append(Sparkline.bar(p, barWidth), loadStyle(p));
        b.append(String.format(Locale.ROOT, " %6s  ", percent(p)));
      }
      lines.add(b.toAttributedString());
    }
    int spark = Math.max(1, width - 2);
    lines.add(AttributedString.EMPTY);
    lines.add(new AttributedString("CPU, last " + row.cpu.size() + " samples (0-100 %)", DIM));
    lines.add(new AttributedString(" " + Sparkline.of(values(row.cpu), 0, 100, spark)));
    lines.add(new AttributedString("Memory used (0-100 %)", DIM));
    lines.add(new AttributedString(" " + Sparkline.of(values(row.memory), 0, 100, spark)));
    while (lines.size() < height - 1) {
      lines.add(AttributedString.EMPTY);
    }
    lines.add(new AttributedString("Esc back to the fleet   q quit", DIM));
    return lines;
  }

  private static AttributedString footer(View view, int width) {
    if (view.draft != null) {
      return padded("filter: " + view.draft + "▏  (Enter apply, Esc cancel)", width, HEADER);
    }
    return new AttributedString(
        "c/m/n sort by CPU/memory/name   / filter   ↑↓ select   Enter open   q quit", DIM);
  }

  private static double[] values(java.util.Collection<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static AttributedString padded(String text, int width, AttributedStyle style) {
    String clipped = text.length() > width ? text.substring(0, width) : text;
    return new AttributedString(clipped + " ".repeat(Math.max(0, width - clipped.length())), style);
  }

  private static String clip(String text, int width) {
    if (width < 2 || text.length() <= width) {
      return text;
    }
    return text.substring(0, width - 1) + "…";
  }

  static String percent(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f%%", value);
  }

  private static String rate(double bytesPerSecond) {
    return Double.isNaN(bytesPerSecond) ? "-" : HostReport.bytes(bytesPerSecond) + "/s";
  }

  private static AttributedStyle loadStyle(double percent) {
    if (Double.isNaN(percent)) {
      return AttributedStyle.DEFAULT;
    }
    int colour =
        percent >= 90
            ? AttributedStyle.RED
            : percent >= 60 ? AttributedStyle.YELLOW : AttributedStyle.GREEN;
    return AttributedStyle.DEFAULT.foreground(colour);
  }

  private static AttributedStyle stateStyle(HostState state) {
    return AttributedStyle.DEFAULT.foreground(
        state == HostState.LOST ? AttributedStyle.RED : AttributedStyle.YELLOW);
  }
}
