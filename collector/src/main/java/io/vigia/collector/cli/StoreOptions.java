package io.vigia.collector.cli;

import io.vigia.codec.config.ByteSizeConverter;
import io.vigia.collector.store.FsyncPolicy;
import io.vigia.collector.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where and how the collector keeps what it acknowledges; a mixin of {@link CollectorCommand},
 * placed where these options appear in its help.
 */
final class StoreOptions {

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where acknowledged samples are kept (a write-ahead log, and blocks of compressed"
              + " history behind it; one collector per directory)."
              + " Default: $STATE_DIRECTORY under systemd (StateDirectory=), else"
              + " ~/.local/state/vigia-collector.")
  Path dataDir;

  @Option(
      names = "--in-memory",
      description =
          "Keep samples in memory only, with no data directory: a restart loses every sample"
              + " already acknowledged. For tests and demos.")
  boolean inMemory;

  @Option(
      names = "--fsync",
      paramLabel = "POLICY",
      defaultValue = "batch",
      description =
          "When the log is forced to disk: batch (one fsync for every sample that arrived"
              + " meanwhile; acks wait for it; nothing acknowledged is lost even on power loss),"
              + " always (one fsync per sample; slow), never (acks once the kernel has the data:"
              + " safe from a crash of the collector, not from a power cut). Default:"
              + " ${DEFAULT-VALUE}.")
  String fsync;

  @Option(
      names = "--retention",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description =
          "Delete the blocks' oldest files once they are older than this (default:"
              + " ${DEFAULT-VALUE}).")
  Duration retention;

  @Option(
      names = "--retention-size",
      paramLabel = "BYTES",
      defaultValue = "8GiB",
      converter = ByteSizeConverter.class,
      description =
          "Delete the blocks' oldest files while they hold more than this (default:"
              + " ${DEFAULT-VALUE}).")
  long retentionSize;

  @Option(
      names = "--wal-size",
      paramLabel = "BYTES",
      defaultValue = "256MiB",
      converter = ByteSizeConverter.class,
      description =
          "Once the write-ahead log holds more than this, seal every host's recent samples into"
              + " the blocks and delete the log behind them; a restart reads at most about this"
              + " much log (default: ${DEFAULT-VALUE}).")
  long walSize;

  // For tests that want many segments and checkpoints from little data.
  @Option(
      names = "--wal-segment-size",
      hidden = true,
      defaultValue = "64MiB",
      converter = ByteSizeConverter.class)
  long segmentSize;

  /**
   * What the options ask for.
   *
   * @throws IllegalArgumentException naming the option at fault
   */
  StoreConfig config() {
    if (inMemory) {
      if (dataDir != null) {
        throw new IllegalArgumentException("--in-memory and --data-dir exclude each other");
      }
      return StoreConfig.IN_MEMORY;
    }
    return StoreConfig.onDisk(
            dataDir != null ? dataDir : defaultDataDir(), FsyncPolicy.parse(fsync))
        .withSegmentBytes(segmentSize)
        .withRetention(retention, retentionSize)
        .withWalBytes(walSize);
  }

  /** systemd's state directory for the unit, else one in the user's home. */
  static Path defaultDataDir() {
    String state = System.getenv("STATE_DIRECTORY");
    if (state != null && !state.isBlank()) {
      return Path.of(state.split(":")[0]);
    }
    return Path.of(System.getProperty("user.home"), ".local", "state", "vigia-collector");
  }
}
