package io.vigia.collector.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The store's figures at one moment, for {@code /metrics}, {@code GET /api/v1/store} and {@code
 * vigia show}.
 *
 * @param dir the data directory, or null in memory
 * @param writable false while the log cannot be written (disk full or failing): links are refused
 * @param failingSince when writing began to fail, or null
 * @param lastError the last write error, or null
 * @param logBytes bytes in the log's segment files
 * @param blocks the blocks' figures
 * @param oldestSample the time of the oldest sample the log keeps, or null
 * @param queuedBytes records waiting for the disk
 * @param writeFailures commits that failed (each retried until it succeeds)
 * @param recovery what the last start read back
 * @param dropped samples deleted from the log, by reason: {@code retention_age}, {@code
 *     retention_size}
 * @param fsyncs how long the fsyncs took
 */
public record StoreStatus(
    String dir,
    String fsync,
    boolean writable,
    Instant failingSince,
    String lastError,
    long logBytes,
    int segments,
    Blocks blocks,
    Instant oldestSample,
    long queuedBytes,
    long writeFailures,
    long committedRecords,
    Recovery recovery,
    Map<String, Long> dropped,
    FsyncTimes.Snapshot fsyncs) {

  /**
   * The blocks on disk.
   *
   * @param bytes bytes in their segment files
   * @param segments segment files
   * @param chunks chunks in them
   * @param samples samples in them
   * @param checkpoints checkpoints since the start
   */
  public record Blocks(long bytes, int segments, long chunks, long samples, long checkpoints) {
    public static final Blocks NONE = new Blocks(0, 0, 0, 0, 0);
  }

  /**
   * What the store read back at start.
   *
   * @param hosts hosts restored
   * @param samples samples restored
   * @param fromBlocks of those, samples read from the blocks
   * @param unrestorable sample records whose host or bytes were not valid, skipped
   * @param tornBytes bytes of an unfinished last record, cut
   * @param corruptRegions stretches of records that failed their checksum, skipped
   * @param corruptBytes their bytes
   * @param took how long reading the log took
   */
  public record Recovery(
      long hosts,
      long samples,
      long fromBlocks,
      long unrestorable,
      long tornBytes,
      long corruptRegions,
      long corruptBytes,
      Duration took) {
    public static final Recovery NONE = new Recovery(0, 0, 0, 0, 0, 0, 0, Duration.ZERO);
  }

  static final StoreStatus IN_MEMORY =
      new StoreStatus(
          null,
          "none",
          true,
          null,
          null,
          0,
          0,
          Blocks.NONE,
          null,
          0,
          0,
          0,
          Recovery.NONE,
          Map.of(),
          FsyncTimes.Snapshot.NONE);

  /** Whether samples are kept on disk at all. */
  public boolean durable() {
    return dir != null;
  }
}
