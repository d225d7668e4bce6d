package io.vigia.agent.link;

/**
 * Encoded snapshots taken but not yet acknowledged by the collector, oldest first, with consecutive
 * sequence numbers, bounded: when full, the oldest snapshot is dropped and counted. What {@link
 * SpoolPump} needs of a spool, so that one kept on disk can stand in for {@link MemorySpool}.
 *
 * <p>Not thread-safe: confined to the link's event loop.
 */
interface Spool {

  /**
   * Appends the encoded snapshot {@code seq}, dropping the oldest to make room.
   *
   * @param compactFrame whether it is written in the compact form of protocol 2
   * @throws IllegalArgumentException if {@code seq} does not follow the newest snapshot
   */
  void add(long seq, byte[] frame, boolean compactFrame);

  /**
   * Drops the oldest snapshots until one of {@code frameBytes} fits.
   *
   * @return true if any was dropped
   */
  boolean makeRoom(int frameBytes);

  /** Forgets every snapshot up to and including {@code seq}: the collector stores them. */
  void acknowledge(long seq);

  /** The encoded snapshot {@code seq}, or null if it is not (or no longer) here. */
  byte[] get(long seq);

  /**
   * The oldest sequence held that comes after {@code seq}, or 0 if none does. Sequences are
   * consecutive in memory; a spool read back from disk may lack the ones a damaged record held.
   */
  long after(long seq);

  /** Whether the snapshot {@code seq}, which must be held, is in the compact form. */
  boolean compact(long seq);

  /** The oldest sequence held, or 0 when empty. */
  long firstSeq();

  /** How many snapshots are held. */
  int size();

  /** Snapshots dropped because the spool was full, since the agent started. */
  long dropped();
}
