package io.vigia.collector.cli;

import io.vigia.codec.Durations;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiSample;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vigia history HOST --last 10m}: one host's recent figures, summed up or as CSV. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Shows one host's samples over the last span the collector keeps: for each series its"
          + " minimum, average, maximum, last figure and a sparkline; or CSV for a spreadsheet.",
      "The span ends at the host's newest sample, so a host that left still shows its last"
          + " minutes."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:shown",
      "1:the collector answered with an error (such as an unknown host)",
      "2:bad usage, or the collector cannot be reached"
    },
    footer = {"", "Example: vigia history web-1 --last 1h --metric net --csv > web-1-net.csv"})
final class HistoryCommand implements Callable<Integer> {

  /** At most this many samples are asked for, whatever the span. */
  static final int MAX_SAMPLES = 100_000;

  @Mixin CollectorUrl url;

  @Parameters(paramLabel = "HOST", description = "The agent id, as 'vigia agents' lists it.")
  String host;

  @Option(
      names = "--last",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = SpanConverter.class,
      description =
          "How far back from the newest sample, as 30s, 10m, 2h (default: ${DEFAULT-VALUE}).")
  Duration last;

  @Option(
      names = "--metric",
      paramLabel = "FAMILY",
      defaultValue = "cpu",
      converter = MetricConverter.class,
      description = "cpu, memory, disk or net (default: ${DEFAULT-VALUE}).")
  HistoryReport.Metric metric;

  @Option(names = "--csv", description = "Print CSV: time, seq and a column per series.")
  boolean csv;

  @Override
  public Integer call() throws Exception {
    return url.run(
        client -> {
          ApiAgent agent = client.agent(host);
          long interval = Math.max(1000, agent.getIntervalMs());
          int wanted = (int) Math.min(MAX_SAMPLES, last.toMillis() / interval + 2);
          List<ApiSample> samples = within(client.history(host, wanted).getSamplesList(), last);
          List<HistoryReport.Series> series = HistoryReport.series(metric, samples);
          PrintWriter out = url.out();
          out.print(
              csv
                  ? HistoryReport.csv(samples, series)
                  : HistoryReport.table(host, metric, samples, series));
          out.flush();
        });
  }

  /** The samples no older than {@code span} before the newest one. */
  static List<ApiSample> within(List<ApiSample> samples, Duration span) {
    if (samples.isEmpty()) {
      return samples;
    }
    Instant from = HistoryReport.time(samples.get(samples.size() - 1)).minus(span);
    return samples.stream().filter(s -> !HistoryReport.time(s).isBefore(from)).toList();
  }

  static final class SpanConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      Duration span;
      try {
        span = Durations.parse(text);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
      if (span.isNegative() || span.isZero()) {
        throw new CommandLine.TypeConversionException("'" + text + "' must be longer than 0");
      }
      return span;
    }
  }

  static final class MetricConverter implements CommandLine.ITypeConverter<HistoryReport.Metric> {
    @Override
    public HistoryReport.Metric convert(String text) {
      try {
        return HistoryReport.Metric.valueOf(text.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "'" + text + "' is not a metric family; choose cpu, memory, disk or net");
      }
    }
  }
}
