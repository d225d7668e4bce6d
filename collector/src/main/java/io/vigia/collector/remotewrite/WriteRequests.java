package io.vigia.collector.remotewrite;

import io.airlift.compress.snappy.SnappyCompressor;
import io.vigia.collector.metrics.CpuSeries;
import io.vigia.collector.metrics.FamilySeries;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.remotewrite.prompb.Label;
import io.vigia.collector.remotewrite.prompb.Sample;
import io.vigia.collector.remotewrite.prompb.TimeSeries;
import io.vigia.collector.remotewrite.prompb.WriteRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns stored samples into a remote-write request: the same series and labels as {@code /metrics}
 * ({@code vigia_host_cpu_utilisation_ratio{host,core}}, {@code vigia_host_cpu_busy_ratio{host}},
 * {@code vigia_host_cpu_mode_ratio{host,mode}}, and the memory, load, file system, disk and network
 * series of {@link FamilySeries}), each value at the time the agent took the sample, so that
 * replayed samples land at their own time. Samples of one series in a batch share one {@code
 * TimeSeries}, oldest first, so their labels travel once.
 */
final class WriteRequests {

  static final String UTILISATION = CpuSeries.UTILISATION;
  static final String BUSY = CpuSeries.BUSY;
  static final String MODE = CpuSeries.MODE;

  private WriteRequests() {}

  /** A request and how many Prometheus samples (values of one series) it carries. */
  record Encoded(WriteRequest request, int seriesSamples) {}

  static Encoded encode(List<Pending> batch) {
    // Keyed by the labels; insertion order keeps the request stable for tests and receivers.
    Map<String, TimeSeries.Builder> series = new LinkedHashMap<>();
    int[] values = {0};
    for (Pending pending : batch) {
      StoredSample sample = pending.sample();
      long millis = sample.time().toEpochMilli();
      String host = pending.host();
      if (sample.hasCpu()) {
        CpuFigures cpu = sample.cpu();
        add(series, millis, ratio(cpu.busy()), BUSY, new String[] {"host", host});
        for (int core = 0; core < cpu.cores(); core++) {
          add(
              series,
              millis,
              ratio(cpu.coreBusy(core)),
              UTILISATION,
              new String[] {"core", Integer.toString(core), "host", host});
        }
        int[] modes = CpuSeries.modes(cpu);
        for (int m = 0; m < modes.length; m++) {
          add(
              series,
              millis,
              ratio(modes[m]),
              MODE,
              new String[] {"host", host, "mode", CpuSeries.MODES.get(m)});
        }
        values[0] += 1 + cpu.cores() + modes.length;
      }
      FamilySeries.forEach(
          sample.families(),
          (name, labels, value) -> {
            add(series, millis, value, name, withHost(host, labels));
            values[0]++;
          });
    }
    WriteRequest.Builder request = WriteRequest.newBuilder();
    series.values().forEach(request::addTimeseries);
    return new Encoded(request.build(), values[0]);
  }

  /**
   * One value of the series {@code name} with {@code labels} (name, value, ...; sorted by name, as
   * remote write requires, {@code __name__} going first).
   */
  private static void add(
      Map<String, TimeSeries.Builder> series,
      long millis,
      double value,
      String name,
      String[] labels) {
    String key = name + '\u0000' + String.join("\u0000", labels);
    TimeSeries.Builder builder = series.get(key);
    if (builder == null) {
      builder = TimeSeries.newBuilder().addLabels(label("__name__", name));
      for (int i = 0; i < labels.length; i += 2) {
        builder.addLabels(label(labels[i], labels[i + 1]));
      }
      series.put(key, builder);
    }
    builder.addSamples(Sample.newBuilder().setValue(value).setTimestamp(millis));
  }

  /** {@code labels} (sorted pairs) with {@code host} in its place. */
  private static String[] withHost(String host, String[] labels) {
    String[] all = new String[labels.length + 2];
    int out = 0;
    boolean placed = false;
    for (int i = 0; i < labels.length; i += 2) {
      if (!placed && labels[i].compareTo("host") > 0) {
        all[out++] = "host";
        all[out++] = host;
        placed = true;
      }
      all[out++] = labels[i];
      all[out++] = labels[i + 1];
    }
    if (!placed) {
      all[out++] = "host";
      all[out] = host;
    }
    return all;
  }

  private static Label label(String name, String value) {
    return Label.newBuilder().setName(name).setValue(value).build();
  }

  /** Per-mille as a ratio from 0 to 1, as {@code /metrics} exports it. */
  private static double ratio(int perMille) {
    return perMille / 1000.0;
  }

  /**
   * Snappy's block format (not the framed one), as remote write wants. A compressor keeps state
   * between calls: one per thread.
   */
  static byte[] snappy(SnappyCompressor snappy, byte[] raw) {
    byte[] out = new byte[snappy.maxCompressedLength(raw.length)];
    int n = snappy.compress(raw, 0, raw.length, out, 0, out.length);
    return Arrays.copyOf(out, n);
  }
}
