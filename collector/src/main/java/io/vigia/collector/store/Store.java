package io.vigia.collector.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.concurrent.Executor;

/**
 * Where the collector keeps what it acknowledges: {@link #open} a write-ahead log in a data
 * directory, or {@link #IN_MEMORY} for nothing on disk.
 *
 * <p>The sessions of agent links append a record for every change they make to the host registry (a
 * link's {@code Hello}, every sample stored, a link closing), then ask {@link #whenDurable} to run
 * their ack once those records are safe under the fsync policy. Appending never blocks and never
 * touches the disk: one committer thread writes and fsyncs, for thousands of links at a time, and
 * runs the waiting actions on its own thread (each hops back to its link's event loop).
 *
 * <pre>{@code
 * Store store = Store.open(StoreConfig.onDisk(dir, FsyncPolicy.BATCH), recovery, clock);
 * store.sample(hostId, epoch, snapshotBytes);
 * store.whenDurable(channel.eventLoop(), () -> ack(seq));
 * }</pre>
 *
 * <p>Thread-safety: safe for concurrent use; records appended by one thread reach the log in the
 * order that thread appended them, and an action given to {@link #whenDurable} runs only after
 * every record appended before the call (by any thread) is durable.
 */
public interface Store extends AutoCloseable {

  /** Nothing on disk: every action of {@link #whenDurable} runs at once, on the caller's thread. */
  Store IN_MEMORY = new InMemoryStore();

  /**
   * Takes the data directory (creating it, locking it against a second collector), reads the log
   * into {@code recovery}, and starts the committer.
   *
   * @throws DataDirectoryException if the directory cannot be used: not writable, held by another
   *     collector, written by a newer version; the message says what to do
   */
  static Store open(StoreConfig config, Recovery recovery, InstantSource clock)
      throws DataDirectoryException {
    if (config.inMemory()) {
      return IN_MEMORY;
    }
    return DurableStore.open(config, recovery, clock);
  }

  /** Whether records go to disk at all; false for {@link #IN_MEMORY}. */
  default boolean durable() {
    return true;
  }

  /**
   * False while the log cannot take records (the disk is full or failing, or too much waits for
   * it): links should be refused, so that agents keep their samples until it can.
   */
  boolean accepting();

  /** A link for {@code hostId} completed its handshake with {@code hello} (its token removed). */
  void hello(String hostId, long timeMillis, String address, ByteBuffer hello);

  /**
   * A sample was stored for {@code hostId}: the snapshot's encoded bytes as they arrived.
   *
   * @param hostIdUtf8 the host id in UTF-8 (the session keeps it, so it is not encoded per sample)
   */
  void sample(byte[] hostIdUtf8, long epoch, long timeMillis, ByteBuffer snapshot);

  /** The current link of {@code hostId} closed: with a goodbye ({@code left}) or lost. */
  void link(String hostId, boolean left, long timeMillis);

  /**
   * Runs {@code action} on {@code executor} once every record appended so far is durable. The
   * caller runs on {@code executor}; in memory the action runs at once, in the call. The committer
   * hands each executor one task per commit with all its actions, so thousands of links acked by
   * one fsync cost each event loop one wake-up.
   */
  void whenDurable(Executor executor, Runnable action);

  /** Figures for {@code /metrics}, the API and {@code vigia show}. */
  StoreStatus status();

  /** Writes and syncs what waits, then releases the directory. Idempotent. */
  @Override
  void close();

  /** What a store's log held at start, in the order it was written. */
  interface Recovery {
    /** A link's {@code Hello}; {@code hello} is valid only during the call. */
    void hello(String hostId, long timeMillis, String address, ByteBuffer hello);

    /**
     * A stored sample; {@code snapshot} is valid only during the call.
     *
     * @return false if it could not be restored (its host unknown, its bytes invalid); counted
     */
    boolean sample(String hostId, long epoch, ByteBuffer snapshot);

    /**
     * Every record is read.
     *
     * @return how many samples {@link #sample} took (returned true for) but could not restore after
     *     all, such as samples kept until a Hello of their epoch that never came
     */
    long done();

    void link(String hostId, boolean left, long timeMillis);

    /**
     * How many of each host's newest samples it keeps; older ones are not handed to {@link #sample}
     * (the log is then read twice: once to count, once to restore), since decoding samples that
     * would be overwritten at once is most of a restart's time.
     */
    default int newestPerHost() {
      return Integer.MAX_VALUE;
    }
  }

  /** The data directory cannot be used; the message is one line that says what to do. */
  final class DataDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataDirectoryException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
