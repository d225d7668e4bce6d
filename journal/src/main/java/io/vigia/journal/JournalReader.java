package io.vigia.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Reads a journal directory forward, oldest segment first, and hands each good record to a {@link
 * Visitor}; what it cannot trust it reports as {@link Damage} and goes on.
 *
 * <ul>
 *   <li>Bytes after the last good record of the newest segment are a torn tail (a write the process
 *       or the machine did not finish): with {@code repairTail} the file is cut back to its last
 *       good record, so that nothing is ever appended after garbage.
 *   <li>A bad record with a good one after it is corruption: the reader finds the next record whose
 *       length and checksum agree, skips the bytes in between and reports them with the file and
 *       offset. A bad tail of an older segment is reported likewise.
 * </ul>
 *
 * <p>Only a journal this code cannot read at all (another kind, a newer format version) stops the
 * reading, with a {@link JournalFormatException} that says what to do.
 *
 * <pre>{@code
 * JournalReader.Summary summary =
 *     JournalReader.read(dir, Kind.COLLECTOR_WAL, maxRecord, true, (type, payload, segment, offset) -> ...);
 * }</pre>
 */
public final class JournalReader {

  /** Receives the records in the order they were written. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * One good record; {@code payload} is valid only during the call.
     *
     * @param offset where the record starts in its segment file
     */
    void record(int type, ByteBuffer payload, long segment, long offset) throws IOException;

    /** Bytes that were skipped or cut; called in file order. */
    default void damaged(Damage damage) {}
  }

  /**
   * Bytes the reader could not trust.
   *
   * @param offset where they start in {@code file}
   * @param tornTail true for the unfinished end of the newest segment (cut with {@code
   *     repairTail}); false for corruption that was skipped
   */
  public record Damage(Path file, long offset, long length, boolean tornTail) {}

  /**
   * What a read found.
   *
   * @param records good records read
   * @param tornBytes bytes of the newest segment's unfinished tail
   * @param corruptRegions stretches of bad bytes skipped, each of which held one or more records
   * @param lastSegment the newest segment's number, 0 if there was none
   */
  public record Summary(
      int segments,
      long records,
      long bytes,
      long tornBytes,
      int corruptRegions,
      long corruptBytes,
      long lastSegment) {}

  private JournalReader() {}

  /**
   * Reads every segment of {@code dir} (none if it has no segment).
   *
   * @param maxPayloadBytes the largest record payload the writer allows; longer lengths are damage
   * @param repairTail cut the newest segment's torn tail off the file
   */
  public static Summary read(
      Path dir, JournalFormat.Kind kind, int maxPayloadBytes, boolean repairTail, Visitor visitor)
      throws IOException {
    List<Segment> segments = Segment.list(dir);
    long records = 0;
    long bytes = 0;
    long torn = 0;
    int corruptRegions = 0;
    long corruptBytes = 0;
    for (int i = 0; i < segments.size(); i++) {
      Segment segment = segments.get(i);
      boolean newest = i == segments.size() - 1;
      ByteBuffer buffer =
          ByteBuffer.wrap(Files.readAllBytes(segment.path())).order(ByteOrder.BIG_ENDIAN);
      bytes += buffer.remaining();
      SegmentScan scan = new SegmentScan(segment, buffer, kind, maxPayloadBytes, visitor);
      scan.run();
      records += scan.records;
      corruptRegions += scan.corruptRegions;
      corruptBytes += scan.corruptBytes;
      long tail = buffer.limit() - scan.goodEnd;
      if (tail > 0) {
        if (newest) {
          torn += tail;
          visitor.damaged(new Damage(segment.path(), scan.goodEnd, tail, true));
          if (repairTail) {
            truncate(segment.path(), scan.goodEnd);
          }
        } else {
          corruptRegions++;
          corruptBytes += tail;
          visitor.damaged(new Damage(segment.path(), scan.goodEnd, tail, false));
        }
      }
    }
    return new Summary(
        segments.size(),
        records,
        bytes,
        torn,
        corruptRegions,
        corruptBytes,
        segments.isEmpty() ? 0 : segments.get(segments.size() - 1).number());
  }

  /**
   * One record read back from a known place, such as an offset a {@link Visitor} was given or one
   * an owner noted when it appended: for an owner that keeps an index instead of the records.
   *
   * @param type the record's type
   * @param payload its payload, a fresh array
   */
  public record Record(int type, byte[] payload) {}

  /**
   * Reads the record that starts at {@code offset} of a segment file open for reading, checking its
   * length and checksum.
   *
   * @return the record, or null if no whole, good record starts there (a bad checksum, a length
   *     over {@code maxPayloadBytes}, the end of the file)
   */
  public static Record readAt(FileChannel segment, long offset, int maxPayloadBytes)
      throws IOException {
    ByteBuffer header =
        ByteBuffer.allocate(JournalFormat.RECORD_HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
    if (!readFully(segment, header, offset)) {
      return null;
    }
    int length = header.getInt(0);
    int type = header.get(8);
    if (length < 0
        || length > maxPayloadBytes
        || type < JournalFormat.MIN_TYPE
        || type > JournalFormat.MAX_TYPE) {
      return null;
    }
    ByteBuffer payload = ByteBuffer.allocate(length);
    if (!readFully(segment, payload, offset + JournalFormat.RECORD_HEADER_BYTES)) {
      return null;
    }
    payload.flip();
    if (JournalFormat.crc(type, payload) != header.getInt(4)) {
      return null;
    }
    return new Record(type, payload.array());
  }

  private static boolean readFully(FileChannel channel, ByteBuffer into, long at)
      throws IOException {
    long pos = at;
    while (into.hasRemaining()) {
      int n = channel.read(into, pos);
      if (n < 0) {
        return false;
      }
      pos += n;
    }
    return true;
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
      channel.force(true);
    }
  }

  /** One segment's bytes, read once from start to end. */
  private static final class SegmentScan {
    private final Segment segment;
    private final ByteBuffer bytes;
    private final JournalFormat.Kind kind;
    private final int maxPayload;
    private final Visitor visitor;
    long records;
    int corruptRegions;
    long corruptBytes;
    // Where the last good record (or the header) ends: what follows it, if nothing good does, is a
    // tail to cut or report.
    int goodEnd;

    SegmentScan(
        Segment segment,
        ByteBuffer bytes,
        JournalFormat.Kind kind,
        int maxPayload,
        Visitor visitor) {
      this.segment = segment;
      this.bytes = bytes;
      this.kind = kind;
      this.maxPayload = maxPayload;
      this.visitor = visitor;
    }

    void run() throws IOException {
      int end = bytes.limit();
      if (end < JournalFormat.HEADER_BYTES) {
        // A segment whose creation did not finish: nothing in it was ever acknowledged.
        goodEnd = 0;
        return;
      }
      if (bytes.getInt(0) == JournalFormat.MAGIC) {
        JournalFormat.checkHeader(segment.path(), bytes, kind);
      } else {
        // A damaged magic number; the records after it may still be good.
        corruptRegions++;
        corruptBytes += JournalFormat.HEADER_BYTES;
        visitor.damaged(new Damage(segment.path(), 0, JournalFormat.HEADER_BYTES, false));
      }
      int pos = JournalFormat.HEADER_BYTES;
      goodEnd = pos;
      while (pos < end) {
        if (isRecord(pos)) {
          int length = bytes.getInt(pos);
          int type = bytes.get(pos + 8);
          ByteBuffer payload =
              bytes
                  .duplicate()
                  .position(pos + JournalFormat.RECORD_HEADER_BYTES)
                  .limit(pos + JournalFormat.RECORD_HEADER_BYTES + length)
                  .slice()
                  .asReadOnlyBuffer();
          visitor.record(type, payload, segment.number(), pos);
          records++;
          pos += JournalFormat.RECORD_HEADER_BYTES + length;
          goodEnd = pos;
          continue;
        }
        int next = nextRecord(pos + 1);
        if (next < 0) {
          return; // the rest is a tail: the caller decides whether it is torn or corrupt
        }
        corruptRegions++;
        corruptBytes += next - pos;
        visitor.damaged(new Damage(segment.path(), pos, next - pos, false));
        pos = next;
      }
    }

    private int nextRecord(int from) {
      for (int pos = from; pos + JournalFormat.RECORD_HEADER_BYTES <= bytes.limit(); pos++) {
        if (isRecord(pos)) {
          return pos;
        }
      }
      return -1;
    }

    /**
     * Whether a whole record starts at {@code pos}: a length that fits and a checksum that agrees.
     */
    private boolean isRecord(int pos) {
      if (pos + JournalFormat.RECORD_HEADER_BYTES > bytes.limit()) {
        return false;
      }
      int length = bytes.getInt(pos);
      if (length < 0
          || length > maxPayload
          || length > bytes.limit() - pos - JournalFormat.RECORD_HEADER_BYTES) {
        return false;
      }
      int type = bytes.get(pos + 8);
      if (type < JournalFormat.MIN_TYPE || type > JournalFormat.MAX_TYPE) {
        return false;
      }
      ByteBuffer payload =
          bytes
              .duplicate()
              .position(pos + JournalFormat.RECORD_HEADER_BYTES)
              .limit(pos + JournalFormat.RECORD_HEADER_BYTES + length);
      return JournalFormat.crc(type, payload) == bytes.getInt(pos + 4);
    }
  }
}
