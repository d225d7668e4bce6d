package io.vigia.journal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Appends records to a journal directory: {@link #append} only buffers, {@link #commit} writes what
 * is buffered to the newest segment (and fsyncs it when asked), then starts a new segment once the
 * newest has reached the segment size. Opening never appends to an existing segment: it starts the
 * next number, so a segment is only ever written by one run.
 *
 * <p>A commit that fails leaves the file as it was before it (cut back to the last committed size,
 * as far as the file system lets) and keeps the buffered records: the next commit writes them again
 * at the same place. A record is thus never half in the file and treated as good; and an fsync that
 * failed is never taken for a success (after a failed fsync Linux may drop the dirty pages, so the
 * bytes are written again rather than trusted).
 *
 * <pre>{@code
 * try (JournalWriter writer = JournalWriter.open(dir, Kind.COLLECTOR_WAL, 64 << 20, 1 << 20)) {
 *   writer.append(SAMPLE, payload);
 *   writer.commit(true); // durable now
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one thread owns it.
 */
public final class JournalWriter implements Closeable {

  private final Path dir;
  private final JournalFormat.Kind kind;
  private final long segmentBytes;
  private final int maxPayloadBytes;
  private final CRC32C crc = new CRC32C();
  // Direct, so that a write goes to the kernel without the copy into a temporary direct buffer
  // that the JDK makes of a heap buffer.
  private ByteBuffer pending = ByteBuffer.allocateDirect(64 * 1024).order(ByteOrder.BIG_ENDIAN);
  private int pendingRecords;
  private FileChannel channel;
  private long segment;
  private long committedSize;
  private boolean rotateDue;
  private Runnable onNewSegment = () -> {};

  private JournalWriter(Path dir, JournalFormat.Kind kind, long segmentBytes, int maxPayloadBytes) {
    this.dir = dir;
    this.kind = kind;
    this.segmentBytes = segmentBytes;
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /**
   * Starts a new segment in {@code dir} after the newest one there (creating the directory if need
   * be). Read the directory with {@link JournalReader} first: this does not look at the old
   * segments' contents.
   *
   * @param segmentBytes the size past which a commit starts the next segment
   * @param maxPayloadBytes the largest payload {@link #append} takes
   */
  public static JournalWriter open(
      Path dir, JournalFormat.Kind kind, long segmentBytes, int maxPayloadBytes)
      throws IOException {
    if (segmentBytes < JournalFormat.HEADER_BYTES + JournalFormat.RECORD_HEADER_BYTES) {
      throw new IllegalArgumentException("segment size too small: " + segmentBytes);
    }
    Files.createDirectories(dir);
    JournalWriter writer = new JournalWriter(dir, kind, segmentBytes, maxPayloadBytes);
    List<Segment> existing = Segment.list(dir);
    writer.startSegment(existing.isEmpty() ? 1 : existing.get(existing.size() - 1).number() + 1);
    return writer;
  }

  /**
   * Runs {@code action} on this thread each time a new segment starts, before any record is
   * appended to it: an owner can repeat there what a reader of this segment alone must know.
   */
  public void onNewSegment(Runnable action) {
    this.onNewSegment = action;
  }

  /** Buffers one record; nothing reaches the file before {@link #commit}. */
  public void append(int type, byte[] payload, int offset, int length) {
    append(type, ByteBuffer.wrap(payload, offset, length));
  }

  /** Buffers one record made of {@code payload}'s remaining bytes (its position is left alone). */
  public void append(int type, ByteBuffer payload) {
    if (type < JournalFormat.MIN_TYPE || type > JournalFormat.MAX_TYPE) {
      throw new IllegalArgumentException("record type out of range: " + type);
    }
    int length = payload.remaining();
    if (length > maxPayloadBytes) {
      throw new IllegalArgumentException(
          "record of " + length + " bytes is over the limit of " + maxPayloadBytes);
    }
    ensureRoom(JournalFormat.RECORD_HEADER_BYTES + length);
    crc.reset();
    crc.update(type);
    crc.update(payload.duplicate());
    pending.putInt(length).putInt((int) crc.getValue()).put((byte) type).put(payload.duplicate());
    pendingRecords++;
  }

  /** Bytes appended and not yet committed. */
  public int pendingBytes() {
    return pending.position();
  }

  /** Records appended and not yet committed. */
  public int pendingRecords() {
    return pendingRecords;
  }

  /**
   * Writes every appended record to the newest segment, then, if {@code sync}, fsyncs it; then
   * starts the next segment if this one is full. When this returns, the records are in the file
   * (and on the device, if {@code sync}); when it throws, they are still buffered for the next
   * commit and the file holds none of them.
   */
  public void commit(boolean sync) throws IOException {
    if (rotateDue) {
      rotate(sync);
    }
    if (pending.position() == 0) {
      return;
    }
    ByteBuffer out = pending.duplicate().flip();
    try {
      long at = committedSize;
      while (out.hasRemaining()) {
        at += channel.write(out, at);
      }
      if (sync) {
        channel.force(false);
      }
    } catch (IOException e) {
      try {
        channel.truncate(committedSize);
      } catch (IOException cannotCut) {
        e.addSuppressed(cannotCut);
      }
      throw e;
    }
    committedSize += pending.position();
    pending.clear();
    pendingRecords = 0;
    if (committedSize >= segmentBytes) {
      rotateDue = true;
      rotate(sync);
    }
  }

  /** The newest segment's number. */
  public long segment() {
    return segment;
  }

  /** Bytes committed to the newest segment, its header included. */
  public long segmentSize() {
    return committedSize;
  }

  public Path directory() {
    return dir;
  }

  private void rotate(boolean sync) throws IOException {
    // The full segment was fsynced by the commit that filled it (if the policy syncs at all).
    long next = segment + 1;
    FileChannel full = channel;
    startSegment(next);
    rotateDue = false;
    full.close();
    if (!sync) {
      return;
    }
    syncDirectory();
  }

  private void startSegment(long number) throws IOException {
    Path file = dir.resolve(JournalFormat.fileName(number));
    FileChannel created =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    try {
      ByteBuffer header = JournalFormat.header(kind, number);
      long at = 0;
      while (header.hasRemaining()) {
        at += created.write(header, at);
      }
      created.force(true);
    } catch (IOException e) {
      created.close();
      Files.deleteIfExists(file);
      throw e;
    }
    channel = created;
    segment = number;
    committedSize = JournalFormat.HEADER_BYTES;
    syncDirectory();
    // What the owner repeats at a segment's start goes before the records still buffered.
    ByteBuffer carried = pending.duplicate().flip();
    int carriedRecords = pendingRecords;
    pending = ByteBuffer.allocateDirect(pending.capacity()).order(ByteOrder.BIG_ENDIAN);
    pendingRecords = 0;
    onNewSegment.run();
    ensureRoom(carried.remaining());
    pending.put(carried);
    pendingRecords += carriedRecords;
  }

  private void syncDirectory() throws IOException {
    // A new file's name is durable only once its directory is fsynced.
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    }
  }

  private void ensureRoom(int bytes) {
    if (pending.remaining() < bytes) {
      int capacity = pending.capacity();
      while (capacity - pending.position() < bytes) {
        capacity *= 2;
      }
      ByteBuffer larger = ByteBuffer.allocateDirect(capacity).order(ByteOrder.BIG_ENDIAN);
      pending.flip();
      larger.put(pending);
      pending = larger;
    }
  }

  @Override
  public void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }
}
