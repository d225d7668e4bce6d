package io.vigia.collector.remotewrite;

import io.airlift.compress.snappy.SnappyCompressor;
import io.vigia.collector.metrics.CpuSeries;
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
 * {@code vigia_host_cpu_mode_ratio{host,mode}}), each value at the time the agent took the sample,
 * so that replayed samples land at their own time. Samples of one series in a batch share one
 * {@code TimeSeries}, oldest first, so their labels travel once.
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
    int values = 0;
    for (Pending pending : batch) {
      StoredSample sample = pending.sample();
      if (!sample.hasCpu()) {
        continue; // an agent told not to sample CPU: nothing that /metrics would show either
      }
      long millis = sample.time().toEpochMilli();
      CpuFigures cpu = sample.cpu();
      String host = pending.host();
      add(series, millis, ratio(cpu.busy()), BUSY, null, null, host);
      for (int core = 0; core < cpu.cores(); core++) {
        add(
            series,
            millis,
            ratio(cpu.coreBusy(core)),
            UTILISATION,
            "core",
            Integer.toString(core),
            host);
      }
      int[] modes = CpuSeries.modes(cpu);
      for (int m = 0; m < modes.length; m++) {
        add(series, millis, ratio(modes[m]), MODE, "mode", CpuSeries.MODES.get(m), host);
      }
      values += 1 + cpu.cores() + modes.length;
    }
    WriteRequest.Builder request = WriteRequest.newBuilder();
    series.values().forEach(request::addTimeseries);
    return new Encoded(request.build(), values);
  }

  /**
   * One value; labels sorted by name as remote write requires: {@code __name__}, then {@code core}
   * or {@code host}, then {@code mode}.
   */
  private static void add(
      Map<String, TimeSeries.Builder> series,
      long millis,
      double value,
      String name,
      String label,
      String labelValue,
      String host) {
    String key = name + '\u0000' + host + '\u0000' + (labelValue == null ? "" : labelValue);
    TimeSeries.Builder builder = series.get(key);
    if (builder == null) {
      builder = TimeSeries.newBuilder().addLabels(label("__name__", name));
      if ("core".equals(label)) {
        builder.addLabels(label("core", labelValue)).addLabels(label("host", host));
      } else {
        builder.addLabels(label("host", host));
        if (label != null) {
          builder.addLabels(label(label, labelValue));
        }
      }
      series.put(key, builder);
    }
    builder.addSamples(Sample.newBuilder().setValue(value).setTimestamp(millis));
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
