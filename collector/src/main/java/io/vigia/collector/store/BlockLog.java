package io.vigia.collector.store;

import io.vigia.journal.JournalFormat;
import io.vigia.journal.JournalReader;
import io.vigia.journal.JournalWriter;
import io.vigia.journal.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's blocks ({@code DATA_DIR/blocks/}, {@code docs/format/blocks.md}): a journal of sealed
 * history chunks, one {@code CHUNK} record each, in the compact encoding the hosts' histories use
 * in memory (about a byte per value). Once a chunk is here and synced, the write-ahead log no
 * longer needs the samples it holds.
 *
 * <p>Records are written and synced together ({@link #commit}), never written without the sync that
 * follows before the next write (unless the fsync policy is {@code never}): after a crash, damage
 * in the newest segment can only be the unfinished last write, so reading stops there and the rest
 * is cut, rather than keeping a later chunk of a host whose earlier chunk was lost (its samples are
 * still in the log, which is only truncated behind a synced commit).
 *
 * <p>Not thread-safe: owned by the store's committer thread (and by the thread opening the store,
 * before the committer starts). Its figures are published through volatile fields.
 */
final class BlockLog {

  private static final Logger log = LoggerFactory.getLogger(BlockLog.class);

  static final int CHUNK = 1;
  private static final int MAX_PAYLOAD_BYTES = 16 << 20;

  /** Buffered chunks past this are committed without waiting for the next sync. */
  static final int COMMIT_BYTES = 4 << 20;

  /** A chunk read back at start. */
  interface Visitor {
    /**
     * @param body the chunk's bytes, valid during the call only
     */
    void chunk(String hostId, int samples, ByteBuffer body);
  }

  /** What {@link #read} found. */
  record Scan(long chunks, long samples, long bytes, long cutBytes, long corruptRegions) {}

  private final Path dir;
  private final StoreConfig config;
  private final InstantSource clock;
  private final boolean sync;
  private final SegmentFiles segments;
  private JournalWriter writer;
  private long pendingSamples;
  private long pendingOldest = Long.MAX_VALUE;

  private volatile long chunks;
  private volatile long samples;

  BlockLog(Path dir, StoreConfig config, InstantSource clock) {
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    this.sync = config.fsync() != FsyncPolicy.NEVER;
    this.segments = new SegmentFiles(dir);
  }

  /**
   * Reads every chunk (oldest first), cutting what follows damage in the newest segment, then opens
   * a new segment for writing.
   */
  Scan read(Visitor visitor) throws IOException {
    Files.createDirectories(dir);
    java.util.List<Segment> existing = Segment.list(dir);
    long newest = existing.isEmpty() ? 0 : existing.get(existing.size() - 1).number();
    long[] cut = {-1};
    long[] counts = new long[2];
    long[] torn = new long[1];
    JournalReader.Summary summary =
        JournalReader.read(
            dir,
            JournalFormat.Kind.COLLECTOR_BLOCKS,
            MAX_PAYLOAD_BYTES,
            true,
            new JournalReader.Visitor() {
              @Override
              public void record(int type, ByteBuffer payload, long segment, long offset) {
                if (segment == newest && cut[0] >= 0) {
                  return; // written by the same unfinished write as the damage before it
                }
                SegmentFiles.Info info = segments.reading(segment);
                try {
                  ByteBuffer in = payload.duplicate();
                  String hostId = WalRecords.string(in);
                  int n = (int) WalRecords.getVarint(in);
                  long min = unzigzag(WalRecords.getVarint(in));
                  WalRecords.getVarint(in); // max time
                  info.sampled(n, min);
                  counts[0]++;
                  counts[1] += n;
                  visitor.chunk(hostId, n, in.slice());
                } catch (RuntimeException e) {
                  log.warn("Skipping chunk at {} offset {}: {}", info.path, offset, e.getMessage());
                }
              }

              @Override
              public void damaged(JournalReader.Damage damage) {
                if (damage.tornTail()) {
                  torn[0] += damage.length(); // cut by the reader
                } else if (damage
                    .file()
                    .getFileName()
                    .toString()
                    .equals(SegmentFiles.name(newest))) {
                  if (cut[0] < 0) {
                    cut[0] = damage.offset();
                  }
                } else {
                  log.warn(
                      "Skipped {} corrupt bytes at {} offset {} of the blocks (failed checksum);"
                          + " the chunks there are lost",
                      damage.length(),
                      damage.file(),
                      damage.offset());
                }
              }
            });
    long cutBytes = torn[0];
    if (cut[0] >= 0) {
      Path file = dir.resolve(SegmentFiles.name(newest));
      cutBytes += Files.size(file) - cut[0];
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(cut[0]);
        channel.force(true);
      }
      log.info(
          "Cut the unfinished end of {} at offset {} ({} bytes): chunks whose samples the"
              + " write-ahead log still holds",
          file,
          cut[0],
          cutBytes);
    }
    segments.listed();
    writer =
        JournalWriter.open(
            dir, JournalFormat.Kind.COLLECTOR_BLOCKS, config.segmentBytes(), MAX_PAYLOAD_BYTES);
    segments.started(writer.segment(), clock.millis());
    segments.publish();
    chunks = counts[0];
    samples = counts[1];
    return new Scan(
        counts[0], counts[1], summary.bytes(), cutBytes, corruptOutsideNewest(summary, cut[0]));
  }

  private static long corruptOutsideNewest(JournalReader.Summary summary, long cut) {
    return Math.max(0, summary.corruptRegions() - (cut >= 0 ? 1 : 0));
  }

  /** A {@code CHUNK} record's payload: the host, the chunk's figures the store needs, the body. */
  static byte[] record(String hostId, int samples, long minMillis, long maxMillis, byte[] body) {
    byte[] id = hostId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(WalRecords.varintSize(id.length) + id.length + 3 * 10 + body.length);
    WalRecords.putBytes(out, id);
    WalRecords.putVarint(out, samples);
    WalRecords.putVarint(out, zigzag(minMillis));
    WalRecords.putVarint(out, zigzag(maxMillis));
    out.put(body);
    byte[] payload = new byte[out.position()];
    out.flip().get(payload);
    return payload;
  }

  /** Buffers a chunk record; nothing reaches the file before {@link #commit}. */
  void append(byte[] payload, int chunkSamples, long minMillis) {
    writer.append(CHUNK, payload, 0, payload.length);
    pendingSamples += chunkSamples;
    pendingOldest = Math.min(pendingOldest, minMillis);
  }

  boolean pending() {
    return writer.pendingRecords() > 0;
  }

  int pendingBytes() {
    return writer.pendingBytes();
  }

  /**
   * Writes and syncs the buffered chunks; when it throws, they stay buffered for the next commit
   * and the file holds none of them.
   */
  void commit() throws IOException {
    if (writer.pendingRecords() == 0) {
      return;
    }
    long segmentBefore = writer.segment();
    int records = writer.pendingRecords();
    writer.commit(sync);
    segments.committed(writer, segmentBefore, pendingSamples, pendingOldest, clock.millis());
    chunks += records;
    samples += pendingSamples;
    pendingSamples = 0;
    pendingOldest = Long.MAX_VALUE;
  }

  /**
   * Deletes whole segments, oldest first, while the blocks are over {@code --retention-size} or the
   * oldest was last written more than {@code --retention} ago; never the segment being written.
   *
   * @param dropped samples deleted, added to by reason
   */
  void applyRetention(Map<String, AtomicLong> dropped) {
    long now = clock.millis();
    long total = segments.totalBytes();
    long oldestAllowed = now - config.retention().toMillis();
    while (segments.size() > 1) {
      SegmentFiles.Info oldest = segments.oldest();
      String reason =
          total > config.retentionBytes()
              ? "retention_size"
              : oldest.lastWriteMillis < oldestAllowed ? "retention_age" : null;
      if (reason == null) {
        break;
      }
      try {
        Files.deleteIfExists(oldest.path);
      } catch (IOException e) {
        log.warn("Cannot delete {} for retention: {}", oldest.path, e.getMessage());
        break;
      }
      segments.removeOldest();
      total -= oldest.bytes;
      samples -= oldest.samples;
      dropped.get(reason).addAndGet(oldest.samples);
      log.info(
          "Deleted {} ({} samples, {} MiB): {}",
          oldest.path.getFileName(),
          oldest.samples,
          oldest.bytes >> 20,
          reason.equals("retention_size")
              ? "the store is over --retention-size " + config.retentionBytes()
              : "last written more than --retention " + config.retention() + " ago");
    }
    segments.publish();
  }

  void close() throws IOException {
    if (writer != null) {
      writer.close();
    }
  }

  long bytes() {
    return segments.bytes();
  }

  int segments() {
    return segments.count();
  }

  long chunks() {
    return chunks;
  }

  long samples() {
    return samples;
  }

  long oldestSampleMillis() {
    return segments.oldestSampleMillis();
  }

  private static long zigzag(long value) {
    return (value << 1) ^ (value >> 63);
  }

  private static long unzigzag(long value) {
    return (value >>> 1) ^ -(value & 1);
  }
}
