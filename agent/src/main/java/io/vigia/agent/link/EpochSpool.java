package io.vigia.agent.link;

import io.vigia.proto.Hello;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;

/**
 * The samples of one agent run (one epoch) held in a {@link SpoolDirectory}: an index of where each
 * lies on disk, not the samples themselves, so a week of them costs a few hundred KiB of memory.
 * The current run's may end in a {@link MemorySpool} once the disk failed.
 *
 * <p>Sequences are consecutive except where a damaged record was skipped at start: the index is a
 * list of pieces, each a run of consecutive sequences in one segment file.
 *
 * <p>Not thread-safe: confined to the link's event loop.
 */
final class EpochSpool implements Spool {

  /**
   * Consecutive samples of one segment, {@code firstSeq + head} to {@code firstSeq + count - 1}.
   */
  static final class Piece {
    final SpoolDirectory.SegmentFile segment;
    final long firstSeq;
    int[] offsets = new int[16];
    int count;
    int head;

    Piece(SpoolDirectory.SegmentFile segment, long firstSeq) {
      this.segment = segment;
      this.firstSeq = firstSeq;
    }

    long liveFirst() {
      return firstSeq + head;
    }

    long last() {
      return firstSeq + count - 1;
    }

    int live() {
      return count - head;
    }

    void add(int offset) {
      if (count == offsets.length) {
        offsets = Arrays.copyOf(offsets, count * 2);
      }
      offsets[count++] = offset;
    }
  }

  private final SpoolDirectory directory;
  private final Hello hello;
  private final boolean current;
  final ArrayDeque<Piece> pieces = new ArrayDeque<>();
  private MemorySpool memory;
  private int size;
  private long newestSeq;
  // The highest sequence the collector acknowledged, and the highest written down as ACKED.
  long acked;
  long ackedWritten;
  // The last record read, for the compact() that follows a get() of the same sample.
  private long cachedSeq = -1;
  private byte[] cachedFrame;
  private boolean cachedCompact;

  EpochSpool(SpoolDirectory directory, Hello hello, boolean current) {
    this.directory = directory;
    this.hello = hello;
    this.current = current;
  }

  Hello hello() {
    return hello;
  }

  long epoch() {
    return hello.getEpoch();
  }

  boolean current() {
    return current;
  }

  /** At start, or as the current run appends: the sample {@code seq} lies at {@code offset}. */
  void indexed(SpoolDirectory.SegmentFile segment, long seq, int offset) {
    Piece last = pieces.peekLast();
    if (last == null || last.segment != segment || seq != last.last() + 1) {
      last = new Piece(segment, seq);
      pieces.addLast(last);
    }
    last.add(offset);
    segment.live++;
    size++;
    newestSeq = seq;
  }

  /** The newest sequence held or indexed so far (0: none). */
  long newestSeq() {
    return memory != null && memory.size() > 0 ? memory.firstSeq() + memory.size() - 1 : newestSeq;
  }

  /** The disk failed: from now on this run's samples are kept in {@code memory}. */
  void toMemory(MemorySpool memory) {
    this.memory = memory;
  }

  @Override
  public void add(long seq, byte[] frame, boolean compactFrame) {
    long newest = newestSeq();
    if (newest > 0 && seq != newest + 1) {
      throw new IllegalArgumentException("snapshot " + seq + " does not follow " + newest);
    }
    if (!current) {
      throw new IllegalStateException("an earlier run's spool takes no new samples");
    }
    if (memory == null && directory.append(this, seq, frame, compactFrame)) {
      return;
    }
    memory.add(seq, frame, compactFrame);
  }

  @Override
  public boolean makeRoom(int frameBytes) {
    boolean dropped = directory.makeRoom(frameBytes);
    if (memory != null) {
      long before = memory.dropped();
      memory.makeRoom(frameBytes);
      if (memory.dropped() != before) {
        directory.countDropped(memory.dropped() - before, "the oldest, the memory spool full");
        dropped = true;
      }
    }
    return dropped;
  }

  @Override
  public void acknowledge(long seq) {
    if (seq > acked) {
      acked = seq;
    }
    release(seq, false);
    if (memory != null) {
      memory.acknowledge(seq);
    }
  }

  /**
   * Forgets the indexed samples up to {@code seq}; a segment none of whose samples is left goes.
   *
   * @param dropped they were not acknowledged but dropped, and are counted
   * @return how many were forgotten
   */
  long release(long seq, boolean dropped) {
    long released = 0;
    Iterator<Piece> it = pieces.iterator();
    while (it.hasNext()) {
      Piece piece = it.next();
      if (piece.liveFirst() > seq) {
        break;
      }
      int n = (int) Math.min(piece.live(), seq - piece.liveFirst() + 1);
      piece.head += n;
      released += n;
      size -= n;
      piece.segment.live -= n;
      if (piece.live() == 0) {
        it.remove();
      }
      directory.released(piece.segment);
    }
    if (dropped) {
      directory.countDropped(released, "dropped");
    }
    return released;
  }

  /** The segment {@code segment} is gone (a bound reached): forgets what it held; returns that. */
  long forget(SpoolDirectory.SegmentFile segment) {
    long forgotten = 0;
    Iterator<Piece> it = pieces.iterator();
    while (it.hasNext()) {
      Piece piece = it.next();
      if (piece.segment == segment) {
        forgotten += piece.live();
        size -= piece.live();
        it.remove();
      }
    }
    return forgotten;
  }

  @Override
  public byte[] get(long seq) {
    if (memory != null && memory.get(seq) != null) {
      return memory.get(seq);
    }
    if (seq == cachedSeq) {
      return cachedFrame;
    }
    for (Piece piece : pieces) {
      if (seq >= piece.liveFirst() && seq <= piece.last()) {
        SpoolDirectory.Read read =
            directory.read(piece.segment, piece.offsets[(int) (seq - piece.firstSeq)], seq);
        if (read == null) {
          skip(piece, seq);
          return null;
        }
        cachedSeq = seq;
        cachedFrame = read.frame();
        cachedCompact = read.compact();
        return cachedFrame;
      }
    }
    return null;
  }

  /** The sample {@code seq} of {@code piece} cannot be read back: it is dropped and counted. */
  private void skip(Piece piece, long seq) {
    int index = (int) (seq - piece.firstSeq);
    Piece after = new Piece(piece.segment, seq + 1);
    for (int i = index + 1; i < piece.count; i++) {
      after.add(piece.offsets[i]);
    }
    piece.count = index;
    size--;
    piece.segment.live--;
    directory.countDropped(1, "damaged on disk");
    if (after.count > 0) {
      insertAfter(piece, after);
    }
    if (piece.live() == 0) {
      pieces.remove(piece);
    }
    directory.released(piece.segment);
  }

  private void insertAfter(Piece piece, Piece next) {
    ArrayDeque<Piece> rebuilt = new ArrayDeque<>();
    for (Piece p : pieces) {
      rebuilt.addLast(p);
      if (p == piece) {
        rebuilt.addLast(next);
      }
    }
    pieces.clear();
    pieces.addAll(rebuilt);
  }

  @Override
  public boolean compact(long seq) {
    if (memory != null && memory.get(seq) != null) {
      return memory.compact(seq);
    }
    if (get(seq) == null) {
      throw new IllegalArgumentException("snapshot " + seq + " is not in the spool");
    }
    return cachedCompact;
  }

  @Override
  public long after(long seq) {
    for (Piece piece : pieces) {
      if (seq < piece.last()) {
        return Math.max(seq + 1, piece.liveFirst());
      }
    }
    return memory == null ? 0 : memory.after(seq);
  }

  @Override
  public long firstSeq() {
    Piece first = pieces.peekFirst();
    if (first != null) {
      return first.liveFirst();
    }
    return memory == null ? 0 : memory.firstSeq();
  }

  @Override
  public int size() {
    return size + (memory == null ? 0 : memory.size());
  }

  @Override
  public long dropped() {
    return directory.dropped();
  }
}
