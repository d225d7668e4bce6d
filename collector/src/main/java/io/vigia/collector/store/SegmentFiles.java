package io.vigia.collector.store;

import io.vigia.journal.JournalWriter;
import io.vigia.journal.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * The segment files of one journal the store writes (the log, the blocks), oldest first, with what
 * the store knows of each: its bytes, its samples and the oldest of them, when it was last written.
 * For retention, checkpoints and the store's figures.
 *
 * <p>Not thread-safe: owned by the store's committer thread (and by the thread opening the store,
 * before the committer starts). The totals are published through volatile fields by {@link
 * #publish}, for any thread to read.
 */
final class SegmentFiles {

  /** What is known of one segment file. */
  static final class Info {
    final long number;
    final Path path;
    long bytes;
    long samples;
    long oldestSampleMillis = Long.MAX_VALUE;
    long lastWriteMillis;

    Info(long number, Path path) {
      this.number = number;
      this.path = path;
    }

    void sampled(long count, long oldestMillis) {
      samples += count;
      oldestSampleMillis = Math.min(oldestSampleMillis, oldestMillis);
    }
  }

  private final Path dir;
  private final ArrayDeque<Info> files = new ArrayDeque<>();
  // While the journal is read back: what its records said of each segment, by number.
  private final Map<Long, Info> reading = new TreeMap<>();

  private volatile long bytes;
  private volatile int count;
  private volatile long oldestSampleMillis = Long.MAX_VALUE;

  SegmentFiles(Path dir) {
    this.dir = dir;
  }

  static String name(long segment) {
    return String.format("%016d.seg", segment);
  }

  /** While the journal is read back: the segment a record came from. */
  Info reading(long number) {
    return reading.computeIfAbsent(number, n -> new Info(n, dir.resolve(name(n))));
  }

  /** Once the journal is read: the files now in the directory, oldest first. */
  void listed() throws IOException {
    for (Segment segment : Segment.list(dir)) {
      Info info = reading.computeIfAbsent(segment.number(), n -> new Info(n, segment.path()));
      info.bytes = segment.bytes();
      info.lastWriteMillis = Files.getLastModifiedTime(segment.path()).toMillis();
      files.addLast(info);
    }
    reading.clear();
    publish();
  }

  /** A segment the writer started. */
  void started(long number, long nowMillis) {
    Info info = new Info(number, dir.resolve(name(number)));
    info.lastWriteMillis = nowMillis;
    files.addLast(info);
  }

  /**
   * A commit of {@code writer} went through, with {@code samples} samples, the oldest at {@code
   * oldestMillis}; the writer may have started the next segment after it.
   *
   * @param segmentBefore the writer's segment before the commit
   */
  void committed(
      JournalWriter writer, long segmentBefore, long samples, long oldestMillis, long nowMillis) {
    Info current = files.peekLast();
    current.sampled(samples, oldestMillis);
    current.lastWriteMillis = nowMillis;
    if (writer.segment() != segmentBefore) {
      current.bytes = sizeOf(current.path);
      started(writer.segment(), nowMillis);
    }
    files.peekLast().bytes = writer.segmentSize();
    publish();
  }

  int size() {
    return files.size();
  }

  Info oldest() {
    return files.peekFirst();
  }

  /** Forgets the oldest segment, whose file is deleted. */
  void removeOldest() {
    files.removeFirst();
  }

  long totalBytes() {
    long total = 0;
    for (Info info : files) {
      total += info.bytes;
    }
    return total;
  }

  /** Publishes the totals for other threads. */
  void publish() {
    long total = 0;
    long oldest = Long.MAX_VALUE;
    for (Info info : files) {
      total += info.bytes;
      oldest = Math.min(oldest, info.oldestSampleMillis);
    }
    bytes = total;
    count = files.size();
    oldestSampleMillis = oldest;
  }

  long bytes() {
    return bytes;
  }

  int count() {
    return count;
  }

  /** The oldest sample in any segment, {@code Long.MAX_VALUE} if none. */
  long oldestSampleMillis() {
    return oldestSampleMillis;
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
