package io.vigia.agent.link;

/**
 * A {@link Spool} in memory, bounded by a count and by bytes: when either bound is reached, the
 * oldest snapshot is dropped and counted.
 *
 * <p>Sequences are consecutive because snapshots are added in order and removed only at the head
 * (acknowledged or dropped), so a snapshot is found by arithmetic, not by search.
 *
 * <p>Not thread-safe: confined to the link's event loop.
 */
final class MemorySpool implements Spool {

  private final byte[][] ring;
  // Which frames are compact (protocol 2): they must be expanded for a link of version 1.
  private final boolean[] compact;
  private final long maxBytes;
  private int head;
  private int size;
  private long headSeq;
  private long bytes;
  private long dropped;

  MemorySpool(int maxSnapshots, long maxBytes) {
    if (maxSnapshots < 1) {
      throw new IllegalArgumentException("spool must hold at least 1 snapshot: " + maxSnapshots);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("spool byte cap must be positive: " + maxBytes);
    }
    this.ring = new byte[maxSnapshots][];
    this.compact = new boolean[maxSnapshots];
    this.maxBytes = maxBytes;
  }

  /**
   * Appends the encoded snapshot {@code seq}, dropping the oldest to make room.
   *
   * @throws IllegalArgumentException if {@code seq} does not follow the newest snapshot
   */
  void add(long seq, byte[] frame) {
    add(seq, frame, false);
  }

  @Override
  public void add(long seq, byte[] frame, boolean compactFrame) {
    if (size > 0 && seq != headSeq + size) {
      throw new IllegalArgumentException(
          "snapshot " + seq + " does not follow " + (headSeq + size - 1));
    }
    makeRoom(frame.length);
    if (size == 0) {
      headSeq = seq;
    }
    ring[(head + size) % ring.length] = frame;
    compact[(head + size) % ring.length] = compactFrame;
    size++;
    bytes += frame.length;
  }

  @Override
  public boolean makeRoom(int frameBytes) {
    long before = dropped;
    while (size > 0 && (size == ring.length || bytes + frameBytes > maxBytes)) {
      removeHead();
      dropped++;
    }
    return dropped != before;
  }

  @Override
  public void acknowledge(long seq) {
    while (size > 0 && headSeq <= seq) {
      removeHead();
    }
  }

  @Override
  public byte[] get(long seq) {
    if (size == 0 || seq < headSeq || seq >= headSeq + size) {
      return null;
    }
    return ring[(int) ((head + (seq - headSeq)) % ring.length)];
  }

  @Override
  public long after(long seq) {
    if (size == 0 || seq >= headSeq + size - 1) {
      return 0;
    }
    return Math.max(seq + 1, headSeq);
  }

  @Override
  public boolean compact(long seq) {
    if (get(seq) == null) {
      throw new IllegalArgumentException("snapshot " + seq + " is not in the spool");
    }
    return compact[(int) ((head + (seq - headSeq)) % ring.length)];
  }

  @Override
  public long firstSeq() {
    return size == 0 ? 0 : headSeq;
  }

  @Override
  public int size() {
    return size;
  }

  long bytes() {
    return bytes;
  }

  @Override
  public long dropped() {
    return dropped;
  }

  private void removeHead() {
    bytes -= ring[head].length;
    ring[head] = null;
    head = (head + 1) % ring.length;
    size--;
    headSeq++;
  }
}
