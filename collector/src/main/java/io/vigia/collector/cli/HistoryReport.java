package io.vigia.collector.cli;

import io.vigia.proto.ApiDisk;
import io.vigia.proto.ApiFileSystem;
import io.vigia.proto.ApiInterface;
import io.vigia.proto.ApiSample;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The series of one metric family over a host's samples, as {@code vigia history} prints them: a
 * table with min, average, max, last and a sparkline per series, or CSV with a column per series.
 */
final class HistoryReport {

  /** The families {@code --metric} chooses from. */
  enum Metric {
    CPU,
    MEMORY,
    DISK,
    NET
  }

  /** How a series' figures read. */
  enum Unit {
    PERCENT,
    BYTES,
    BYTES_PER_S
  }

  /** One series: a name, its unit, and a figure per sample (NaN where the sample lacks it). */
  record Series(String name, String column, Unit unit, double[] values) {}

  private static final int SPARK_WIDTH = 48;

  private HistoryReport() {}

  static List<Series> series(Metric metric, List<ApiSample> samples) {
    List<Series> out = new ArrayList<>();
    switch (metric) {
      case CPU -> {
        add(out, samples, "busy", "busy_percent", Unit.PERCENT, s -> cpu(s, s.getCpuPercent()));
        add(out, samples, "user", "user_percent", Unit.PERCENT, s -> cpu(s, s.getUserPercent()));
        add(
            out,
            samples,
            "system",
            "system_percent",
            Unit.PERCENT,
            s -> cpu(s, s.getSystemPercent()));
        add(
            out,
            samples,
            "iowait",
            "iowait_percent",
            Unit.PERCENT,
            s -> cpu(s, s.getIowaitPercent()));
        add(out, samples, "steal", "steal_percent", Unit.PERCENT, s -> cpu(s, s.getStealPercent()));
        int cores = samples.stream().mapToInt(ApiSample::getCorePercentCount).max().orElse(0);
        for (int core = 0; core < cores; core++) {
          int c = core;
          add(
              out,
              samples,
              "core " + c,
              "core" + c + "_percent",
              Unit.PERCENT,
              s -> s.getHasCpu() && c < s.getCorePercentCount() ? s.getCorePercent(c) : Double.NaN);
        }
      }
      case MEMORY -> {
        add(
            out,
            samples,
            "used",
            "used_percent",
            Unit.PERCENT,
            s -> s.hasMemory() ? s.getMemory().getUsedPercent() : Double.NaN);
        add(
            out,
            samples,
            "used",
            "used_bytes",
            Unit.BYTES,
            s -> s.hasMemory() ? s.getMemory().getUsedBytes() : Double.NaN);
        add(
            out,
            samples,
            "swap used",
            "swap_used_bytes",
            Unit.BYTES,
            s -> s.hasMemory() ? s.getMemory().getSwapUsedBytes() : Double.NaN);
      }
      case DISK -> {
        for (String device : names(samples, s -> s.getDisksList(), ApiDisk::getDevice)) {
          add(
              out,
              samples,
              device + " read",
              device + "_read_bytes_per_s",
              Unit.BYTES_PER_S,
              s -> disk(s, device, true));
          add(
              out,
              samples,
              device + " write",
              device + "_write_bytes_per_s",
              Unit.BYTES_PER_S,
              s -> disk(s, device, false));
        }
        for (String mount : names(samples, s -> s.getFileSystemsList(), ApiFileSystem::getMount)) {
          add(
              out,
              samples,
              mount + " used",
              mount + "_used_percent",
              Unit.PERCENT,
              s ->
                  s.getFileSystemsList().stream()
                      .filter(fs -> fs.getMount().equals(mount))
                      .mapToDouble(ApiFileSystem::getUsedPercent)
                      .findFirst()
                      .orElse(Double.NaN));
        }
      }
      case NET -> {
        for (String name : names(samples, s -> s.getInterfacesList(), ApiInterface::getName)) {
          add(
              out,
              samples,
              name + " in",
              name + "_rx_bytes_per_s",
              Unit.BYTES_PER_S,
              s -> nic(s, name, true));
          add(
              out,
              samples,
              name + " out",
              name + "_tx_bytes_per_s",
              Unit.BYTES_PER_S,
              s -> nic(s, name, false));
        }
      }
    }
    return out;
  }

  /** The table: a header naming the host and span, then one line per series. */
  static String table(String host, Metric metric, List<ApiSample> samples, List<Series> series) {
    StringBuilder out = new StringBuilder();
    if (samples.isEmpty()) {
      return host + ": no samples in that span\n";
    }
    DateTimeFormatter clock =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneId.systemDefault());
    out.append(
        String.format(
            Locale.ROOT,
            "%s  %s  %s to %s, %d samples%n",
            host,
            metric.name().toLowerCase(Locale.ROOT),
            clock.format(time(samples.get(0))),
            clock.format(time(samples.get(samples.size() - 1))),
            samples.size()));
    if (series.isEmpty()) {
      out.append("the samples carry no ")
          .append(metric.name().toLowerCase(Locale.ROOT))
          .append(" figures (an agent that does not sample them?)\n");
      return out.toString();
    }
    int nameWidth = Math.max(6, series.stream().mapToInt(s -> s.name().length()).max().orElse(6));
    out.append(
        String.format(
            Locale.ROOT,
            "%-" + nameWidth + "s  %10s  %10s  %10s  %10s  %s%n",
            "SERIES",
            "MIN",
            "AVG",
            "MAX",
            "LAST",
            "HISTORY"));
    for (Series s : series) {
      double min = Double.NaN;
      double max = Double.NaN;
      double sum = 0;
      int n = 0;
      double last = Double.NaN;
      for (double v : s.values()) {
        if (Double.isNaN(v)) {
          continue;
        }
        min = Double.isNaN(min) ? v : Math.min(min, v);
        max = Double.isNaN(max) ? v : Math.max(max, v);
        sum += v;
        n++;
        last = v;
      }
      double avg = n == 0 ? Double.NaN : sum / n;
      // Percentages on a fixed 0-100 scale, so two series compare at a glance; others on their
      // own range from 0.
      double top = s.unit() == Unit.PERCENT ? 100 : Double.isNaN(max) || max <= 0 ? 1 : max;
      out.append(
          String.format(
                  Locale.ROOT,
                  "%-" + nameWidth + "s  %10s  %10s  %10s  %10s  %s",
                  s.name(),
                  format(min, s.unit()),
                  format(avg, s.unit()),
                  format(max, s.unit()),
                  format(last, s.unit()),
                  Sparkline.of(s.values(), 0, top, SPARK_WIDTH))
              .stripTrailing());
      out.append('\n');
    }
    return out.toString();
  }

  /** CSV (RFC 4180): time in RFC 3339, seq, then a column per series; empty where unknown. */
  static String csv(List<ApiSample> samples, List<Series> series) {
    StringBuilder out = new StringBuilder("time,seq");
    for (Series s : series) {
      out.append(',').append(quote(s.column()));
    }
    out.append("\r\n");
    for (int i = 0; i < samples.size(); i++) {
      out.append(time(samples.get(i))).append(',').append(samples.get(i).getSeq());
      for (Series s : series) {
        double v = s.values()[i];
        out.append(',');
        if (!Double.isNaN(v)) {
          out.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : v);
        }
      }
      out.append("\r\n");
    }
    return out.toString();
  }

  static Instant time(ApiSample sample) {
    return Instant.ofEpochSecond(sample.getTime().getSeconds(), sample.getTime().getNanos());
  }

  private static String quote(String text) {
    return text.matches("[^,\"\r\n]*") ? text : '"' + text.replace("\"", "\"\"") + '"';
  }

  private static String format(double value, Unit unit) {
    if (Double.isNaN(value)) {
      return "-";
    }
    return switch (unit) {
      case PERCENT -> String.format(Locale.ROOT, "%.1f%%", value);
      case BYTES -> HostReport.bytes(value);
      case BYTES_PER_S -> HostReport.bytes(value) + "/s";
    };
  }

  private static void add(
      List<Series> out,
      List<ApiSample> samples,
      String name,
      String column,
      Unit unit,
      ToDoubleFunction<ApiSample> value) {
    double[] values = samples.stream().mapToDouble(value).toArray();
    boolean any = false;
    for (double v : values) {
      any |= !Double.isNaN(v);
    }
    if (any) {
      out.add(new Series(name, column, unit, values));
    }
  }

  private static double cpu(ApiSample sample, double value) {
    return sample.getHasCpu() ? value : Double.NaN;
  }

  private static double disk(ApiSample sample, String device, boolean read) {
    for (ApiDisk d : sample.getDisksList()) {
      if (d.getDevice().equals(device)) {
        if (read ? d.hasReadBytesPerS() : d.hasWriteBytesPerS()) {
          return read ? d.getReadBytesPerS() : d.getWriteBytesPerS();
        }
      }
    }
    return Double.NaN;
  }

  private static double nic(ApiSample sample, String name, boolean rx) {
    for (ApiInterface n : sample.getInterfacesList()) {
      if (n.getName().equals(name)) {
        if (rx ? n.hasRxBytesPerS() : n.hasTxBytesPerS()) {
          return rx ? n.getRxBytesPerS() : n.getTxBytesPerS();
        }
      }
    }
    return Double.NaN;
  }

  /** Every name some sample carries, in the order first seen. */
  private static <T> List<String> names(
      List<ApiSample> samples, Function<ApiSample, List<T>> items, Function<T, String> name) {
    Map<String, Boolean> seen = new LinkedHashMap<>();
    for (ApiSample sample : samples) {
      for (T item : items.apply(sample)) {
        seen.put(name.apply(item), true);
      }
    }
    return List.copyOf(seen.keySet());
  }
}
