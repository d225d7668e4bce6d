package io.vigia.collector.cli;

import com.google.protobuf.util.Timestamps;
import io.vigia.proto.ApiStore;
import io.vigia.proto.ApiStoreRecovery;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What {@code vigia store} prints, in lines that fit 80 columns:
 *
 * <pre>
 * Data directory  /var/lib/vigia-collector (fsync batch)
 * State           writable
 * Log             1.2 GiB in 19 segments; oldest sample 7d ago
 * Fsyncs          12,345: average 1.2 ms, longest 8.1 ms
 * Last start      read 50 hosts, 36,000 samples in 0.4 s; cut 17 torn bytes
 * Dropped         none
 * </pre>
 */
final class StoreReport {

  private StoreReport() {}

  static String render(ApiStore store, Instant now) {
    if (!store.getDurable()) {
      return "In memory only (--in-memory): a restart of the collector loses every sample.\n";
    }
    StringBuilder out = new StringBuilder();
    line(out, "Data directory", store.getDataDir() + " (fsync " + store.getFsync() + ")");
    line(
        out,
        "State",
        store.getWritable()
            ? "writable"
            : "NOT WRITABLE"
                + (store.hasFailingSince()
                    ? " for " + ago(Timestamps.toMillis(store.getFailingSince()), now)
                    : "")
                + ": "
                + store.getLastError()
                + "; agents are refused and keep their samples");
    String oldest =
        store.hasOldestSample()
            ? "; oldest sample " + ago(Timestamps.toMillis(store.getOldestSample()), now) + " ago"
            : "";
    line(
        out,
        "Log",
        HostReport.bytes(store.getLogBytes())
            + " in "
            + count(store.getLogSegments(), "segment")
            + oldest);
    line(
        out,
        "Blocks",
        HostReport.bytes(store.getBlockBytes())
            + " in "
            + count(store.getBlockSegments(), "segment")
            + ": "
            + count(store.getBlockChunks(), "chunk")
            + ", "
            + count(store.getBlockSamples(), "sample"));
    if (store.getQueuedBytes() > 0) {
      line(out, "Waiting", HostReport.bytes(store.getQueuedBytes()) + " not yet written");
    }
    line(
        out,
        "Fsyncs",
        store.getFsyncs() == 0
            ? "none yet"
            : String.format(
                Locale.ROOT,
                "%,d: average %s, longest %s",
                store.getFsyncs(),
                millis(store.getFsyncSecondsTotal() / store.getFsyncs()),
                millis(store.getFsyncSecondsMax())));
    if (store.getWriteFailures() > 0) {
      line(out, "Write failures", String.format(Locale.ROOT, "%,d", store.getWriteFailures()));
    }
    ApiStoreRecovery recovery = store.getRecovery();
    StringBuilder start =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "read %s, %s in %.1f s",
                count(recovery.getHosts(), "host"),
                count(recovery.getSamples(), "sample"),
                recovery.getSeconds()));
    if (recovery.getTornBytes() > 0) {
      start.append("; cut ").append(count(recovery.getTornBytes(), "torn byte"));
    }
    if (recovery.getCorruptRegions() > 0) {
      start
          .append("; skipped ")
          .append(count(recovery.getCorruptRegions(), "corrupt stretch"))
          .append(" (")
          .append(HostReport.bytes(recovery.getCorruptBytes()))
          .append(")");
    }
    if (recovery.getUnrestorable() > 0) {
      start.append("; ").append(count(recovery.getUnrestorable(), "unusable record"));
    }
    line(out, "Last start", start.toString());
    String dropped =
        store.getDroppedMap().entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()))
            .collect(Collectors.joining(", "));
    line(out, "Dropped", dropped.isEmpty() ? "none" : dropped + " (samples)");
    return out.toString();
  }

  private static void line(StringBuilder out, String label, String value) {
    out.append(String.format(Locale.ROOT, "%-16s%s%n", label, value));
  }

  private static String count(long n, String noun) {
    String plural = noun.endsWith("h") ? noun + "es" : noun + "s";
    return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? noun : plural);
  }

  private static String millis(double seconds) {
    return String.format(Locale.ROOT, "%.1f ms", seconds * 1000);
  }

  private static String ago(long millis, Instant now) {
    Duration age = Duration.between(Instant.ofEpochMilli(millis), now);
    if (age.toDays() > 0) {
      return age.toDays() + "d";
    }
    if (age.toHours() > 0) {
      return age.toHours() + "h";
    }
    if (age.toMinutes() > 0) {
      return age.toMinutes() + "m";
    }
    return Math.max(0, age.toSeconds()) + "s";
  }
}
