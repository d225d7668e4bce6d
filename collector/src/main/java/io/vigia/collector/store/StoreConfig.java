package io.vigia.collector.store;

import io.vigia.codec.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the collector keeps what it acknowledged.
 *
 * @param dir the data directory; null keeps everything in memory only (nothing survives a restart)
 * @param fsync when the log reaches the device
 * @param segmentBytes the size at which the log starts its next segment file
 * @param retention how long a segment is kept after its last record was written
 * @param retentionBytes the most bytes the log may hold; the oldest segments go first
 * @param maxQueuedBytes records waiting for the disk past which links are refused (the agents keep
 *     their samples)
 * @param walBytes the size of the write-ahead log past which every host's open chunk is sealed into
 *     the blocks and the log behind them deleted: a restart reads at most about this much log
 */
public record StoreConfig(
    Path dir,
    FsyncPolicy fsync,
    long segmentBytes,
    Duration retention,
    long retentionBytes,
    long maxQueuedBytes,
    long walBytes) {

  public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
  public static final long DEFAULT_RETENTION_BYTES = 8L << 30;
  public static final long DEFAULT_MAX_QUEUED_BYTES = 256L << 20;
  public static final long DEFAULT_WAL_BYTES = 256L << 20;

  /** Nothing on disk. */
  public static final StoreConfig IN_MEMORY =
      new StoreConfig(
          null,
          FsyncPolicy.BATCH,
          DEFAULT_SEGMENT_BYTES,
          DEFAULT_RETENTION,
          DEFAULT_RETENTION_BYTES,
          DEFAULT_MAX_QUEUED_BYTES,
          DEFAULT_WAL_BYTES);

  public StoreConfig {
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(retention, "retention");
    if (segmentBytes < 4096) {
      throw new IllegalArgumentException(
          "the segment size must be at least 4 KiB: " + segmentBytes);
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("--retention must be positive");
    }
    if (retentionBytes < 2 * segmentBytes) {
      throw new IllegalArgumentException(
          "--retention-size must be at least two segments of the log ("
              + (2 * segmentBytes >> 20)
              + " MiB), not "
              + retentionBytes
              + " bytes");
    }
    if (walBytes < segmentBytes) {
      throw new IllegalArgumentException(
          "--wal-size must be at least one segment of the log ("
              + (segmentBytes >> 20)
              + " MiB), not "
              + walBytes
              + " bytes");
    }
    if (maxQueuedBytes < 1 << 20) {
      throw new IllegalArgumentException("queue bound must be at least 1 MiB: " + maxQueuedBytes);
    }
  }

  /** The defaults, in {@code dir}. */
  public static StoreConfig onDisk(Path dir, FsyncPolicy fsync) {
    return new StoreConfig(
        Objects.requireNonNull(dir, "dir"),
        fsync,
        DEFAULT_SEGMENT_BYTES,
        DEFAULT_RETENTION,
        DEFAULT_RETENTION_BYTES,
        DEFAULT_MAX_QUEUED_BYTES,
        DEFAULT_WAL_BYTES);
  }

  @Override
  public String toString() {
    return inMemory()
        ? "in memory"
        : dir
            + " (fsync "
            + fsync.flag()
            + ", retention "
            + Durations.format(retention)
            + " or "
            + (retentionBytes >> 20)
            + " MiB)";
  }

  public boolean inMemory() {
    return dir == null;
  }

  public StoreConfig withSegmentBytes(long bytes) {
    return new StoreConfig(
        dir,
        fsync,
        bytes,
        retention,
        Math.max(retentionBytes, 2 * bytes),
        maxQueuedBytes,
        Math.max(walBytes, bytes));
  }

  public StoreConfig withRetention(Duration age, long bytes) {
    return new StoreConfig(dir, fsync, segmentBytes, age, bytes, maxQueuedBytes, walBytes);
  }

  public StoreConfig withWalBytes(long bytes) {
    return new StoreConfig(
        dir, fsync, segmentBytes, retention, retentionBytes, maxQueuedBytes, bytes);
  }
}
