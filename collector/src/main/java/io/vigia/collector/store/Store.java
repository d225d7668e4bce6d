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
   * A chunk of a host's history was sealed (its samples were given to {@link #sample} before): it
   * goes to the blocks, after which the log no longer needs those samples. Never blocks; also
   * called while the log is read back at start, for the chunks the restored samples fill.
   *
   * @param body the chunk's encoded bytes, owned by the store from now on
   */
  default void chunk(String hostId, int samples, long minMillis, long maxMillis, byte[] body) {}

  /**
   * How the store seals every host's open chunk (it then hands each to {@link #chunk}), which it
   * does on a thread of its own when the log has grown past {@code --wal-size}: the log behind the
   * checkpoint is then deleted.
   */
  default void checkpointWith(Runnable sealOpenChunks) {}

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
     * A chunk from the blocks, before any record of the log: oldest first. {@code body} is valid
     * only during the call.
     */
    default void chunk(String hostId, int samples, ByteBuffer body) {}

    /**
     * Called before the log is read: from now on, every chunk sealed (restored samples fill chunks
     * too) goes to {@code store}'s {@link Store#chunk}.
     */
    default void sealChunksTo(Store store) {}

    /** What {@link #sample} did with a sample. */
    enum Outcome {
      RESTORED,
      /** Stored already: in a chunk of the blocks (the log is deleted only behind a checkpoint). */
      ALREADY_STORED,
      /** Its host unknown, its bytes invalid: counted as unrestorable. */
      UNUSABLE
    }

    /** A stored sample; {@code snapshot} is valid only during the call. */
    Outcome sample(String hostId, long epoch, ByteBuffer snapshot);

    /**
     * Every record is read.
     *
     * @return how many samples {@link #sample} took (returned {@code RESTORED} for) but could not
     *     restore after all, such as samples kept until a Hello of their epoch that never came
     */
    long done();

    /** Samples that chunks of the blocks put back in memory; known after {@link #done}. */
    default long samplesFromBlocks() {
      return 0;
    }

    void link(String hostId, boolean left, long timeMillis);
  }

  /** The data directory cannot be used; the message is one line that says what to do. */
  final class DataDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;

    public DataDirectoryException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
