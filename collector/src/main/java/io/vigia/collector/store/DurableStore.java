package io.vigia.collector.store;

import io.vigia.journal.DirectoryLock;
import io.vigia.journal.JournalFormat;
import io.vigia.journal.JournalFormatException;
import io.vigia.journal.JournalReader;
import io.vigia.journal.JournalWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log in a data directory ({@code DIR/wal/}, {@code docs/format/wal.md}), written
 * by one committer thread with group commit.
 *
 * <p>Thread-safety: the append methods and {@link #whenDurable} are safe for concurrent use and
 * only queue; everything else (the writer, the segment list, the table of hosts repeated at each
 * segment's start) belongs to the committer thread. Figures are published through volatile fields
 * and atomics.
 */
final class DurableStore implements Store {

  private static final Logger log = LoggerFactory.getLogger(DurableStore.class);

  /** Records longer than this are damage (frames are limited to far less). */
  static final int MAX_PAYLOAD_BYTES = 64 << 20;

  /** A batch is committed once this much is buffered, even if more is waiting. */
  private static final int BATCH_BYTES = 1 << 20;

  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Under {@link FsyncPolicy#BATCH}, how long the first record of a batch waits for others before
   * the batch is written and fsynced: at most this much is added to an ack, and a busy collector
   * makes at most about 500 fsyncs a second instead of one per handful of records.
   */
  static final long GROUP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

  private record Item(
      int type,
      byte[] payload,
      String hostId,
      long sampleMillis,
      Executor executor,
      Runnable action) {
    int bytes() {
      return payload == null ? 0 : payload.length;
    }
  }

  /**
   * A sealed chunk for the blocks, or (payload null) a checkpoint: once every chunk before it is
   * synced, the log's segments numbered below {@code walCutoff} go.
   */
  private record ChunkItem(byte[] payload, int samples, long minMillis, long walCutoff) {}

  private final StoreConfig config;
  private final InstantSource clock;
  private final DirectoryLock lock;
  private final Path walDir;
  private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
  // Sealed chunks for the blocks, and checkpoint marks (a null payload), in the order the hosts
  // sealed them; apart from the log's records, which they need not follow.
  private final ConcurrentLinkedQueue<ChunkItem> chunkQueue = new ConcurrentLinkedQueue<>();
  private volatile Runnable sealOpenChunks;
  private ExecutorService checkpointThread;
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Thread committer;
  private volatile boolean committerParked;
  private volatile boolean closing;
  private boolean closed;

  // Owned by the committer thread (and by open() before it starts).
  private JournalWriter writer;
  private BlockLog blocks;
  private boolean recovering;
  private boolean checkpointRunning;
  private long lastBlockCommitNanos;
  private boolean blockWriteFailing;
  private final Map<String, byte[]> hellos = new LinkedHashMap<>();
  private final Map<String, byte[]> links = new LinkedHashMap<>();
  private final SegmentFiles segments;
  // Actions waiting for the next commit, by the executor they run on (insertion order kept).
  private final Map<Executor, List<Runnable>> waiting = new IdentityHashMap<>();
  private int waitingActions;
  private long batchStartedNanos;
  private long batchBytes;
  private long batchSamples;
  private long batchOldestMillis = Long.MAX_VALUE;
  private long nextRetentionCheck;

  // Published figures.
  private volatile boolean failing;
  private volatile Instant failingSince;
  private volatile String lastError;
  private final AtomicLong writeFailures = new AtomicLong();
  private final AtomicLong committedRecords = new AtomicLong();
  private final AtomicLong checkpoints = new AtomicLong();
  private final Map<String, AtomicLong> dropped = new TreeMap<>();
  private volatile StoreStatus.Recovery recovered = StoreStatus.Recovery.NONE;
  private BlockLog.Scan blockScan;
  private final FsyncTimes fsyncTimes = new FsyncTimes();

  private DurableStore(StoreConfig config, InstantSource clock, DirectoryLock lock) {
    this.config = config;
    this.clock = clock;
    this.lock = lock;
    this.walDir = config.dir().resolve("wal");
    this.segments = new SegmentFiles(walDir);
    this.committer = new Thread(this::commitLoop, "vigia-store-commit");
    committer.setDaemon(true);
    dropped.put("corrupt", new AtomicLong());
    dropped.put("retention_age", new AtomicLong());
    dropped.put("retention_size", new AtomicLong());
  }

  static DurableStore open(StoreConfig config, Recovery recovery, InstantSource clock)
      throws DataDirectoryException {
    Path dir = config.dir();
    DirectoryLock lock;
    try {
      lock = DirectoryLock.acquire(dir);
    } catch (DirectoryLock.HeldException e) {
      throw new DataDirectoryException(
          "data directory "
              + dir
              + " is in use by another running collector"
              + (e.holder().isEmpty() ? "" : " (pid " + e.holder() + ")")
              + "; stop it, or give this one its own --data-dir",
          e);
    } catch (IOException e) {
      throw new DataDirectoryException(
          "cannot use data directory "
              + dir
              + ": "
              + describe(e)
              + "; make it writable by this user, or choose another with --data-dir",
          e);
    }
    DurableStore store = new DurableStore(config, clock, lock);
    try {
      Files.createDirectories(store.walDir);
      store.blocks = new BlockLog(dir.resolve("blocks"), config, clock);
      long started = System.nanoTime();
      BlockLog.Scan scan = store.blocks.read(recovery::chunk);
      if (scan.chunks() > 0) {
        log.info(
            "Read the blocks in {} ms: {} chunks, {} samples ({} MiB)",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
            scan.chunks(),
            scan.samples(),
            scan.bytes() >> 20);
      }
      store.blockScan = scan;
      recovery.sealChunksTo(store);
      store.recovering = true;
      store.recover(recovery);
      store.blocks.commit();
      store.recovering = false;
      store.writer =
          JournalWriter.open(
              store.walDir,
              JournalFormat.Kind.COLLECTOR_WAL,
              config.segmentBytes(),
              MAX_PAYLOAD_BYTES);
      store.writer.onNewSegment(store::repeatHosts);
      store.repeatHosts();
      store.writer.commit(config.fsync() != FsyncPolicy.NEVER);
      store.segments.started(store.writer.segment(), clock.millis());
      store.segments.publish();
    } catch (JournalFormatException e) {
      store.closeQuietly();
      throw new DataDirectoryException(e.getMessage(), e);
    } catch (UncheckedIOException e) {
      store.closeQuietly();
      throw new DataDirectoryException(
          "cannot use data directory " + dir + ": " + describe(e.getCause()), e.getCause());
    } catch (IOException e) {
      store.closeQuietly();
      throw new DataDirectoryException("cannot use data directory " + dir + ": " + describe(e), e);
    }
    store.committer.start();
    return store;
  }

  private static String describe(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied (" + e.getMessage() + ")";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  // --------------------------------------------------------------------------------------------
  // Recovery

  private void recover(Recovery recovery) throws IOException {
    long started = System.nanoTime();
    long[] samples = new long[3]; // restored, unrestorable, stored already in the blocks
    JournalReader.Summary summary =
        JournalReader.read(
            walDir,
            JournalFormat.Kind.COLLECTOR_WAL,
            MAX_PAYLOAD_BYTES,
            true,
            new JournalReader.Visitor() {
              @Override
              public void record(int type, ByteBuffer payload, long segment, long offset) {
                replayRecord(type, payload, segment, offset, recovery, samples);
                if (blocks.pendingBytes() >= BlockLog.COMMIT_BYTES) {
                  try {
                    blocks.commit(); // the chunks the restored samples filled
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                }
              }

              @Override
              public void damaged(JournalReader.Damage damage) {
                logDamage(damage);
              }
            });
    long unclaimed = recovery.done();
    samples[0] -= unclaimed;
    samples[1] += unclaimed;
    long fromBlocks = recovery.samplesFromBlocks();
    segments.listed();
    dropped.get("corrupt").set(summary.corruptRegions() + samples[1]);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    recovered =
        new StoreStatus.Recovery(
            hellos.size(),
            samples[0] + fromBlocks,
            fromBlocks,
            samples[1],
            summary.tornBytes() + blockScan.cutBytes(),
            summary.corruptRegions() + blockScan.corruptRegions(),
            summary.corruptBytes(),
            took);
    if (summary.segments() > 0) {
      log.info(
          "Read the write-ahead log in {} ms: {} hosts, {} samples into memory from the log and"
              + " {} from the blocks ({} in the log were in the blocks already) from {} segments"
              + " ({} MiB){}",
          took.toMillis(),
          hellos.size(),
          samples[0],
          fromBlocks,
          samples[2],
          summary.segments(),
          summary.bytes() >> 20,
          summary.corruptRegions() + samples[1] == 0
              ? ""
              : "; skipped "
                  + summary.corruptRegions()
                  + " corrupt stretches and "
                  + samples[1]
                  + " unusable records");
    }
  }

  private void replayRecord(
      int type, ByteBuffer payload, long segment, long offset, Recovery recovery, long[] samples) {
    SegmentFiles.Info info = segments.reading(segment);
    try {
      replay(type, payload, info, recovery, samples);
    } catch (RuntimeException e) {
      samples[1]++;
      log.warn(
          "Skipping record at {} offset {} of the write-ahead log: {}",
          info.path,
          offset,
          e.getMessage());
    }
  }

  private static void logDamage(JournalReader.Damage damage) {
    if (damage.tornTail()) {
      log.info(
          "Cut the unfinished end of {} at offset {} ({} bytes): a write the last run did not"
              + " finish, never acknowledged",
          damage.file(),
          damage.offset(),
          damage.length());
    } else {
      log.warn(
          "Skipped {} corrupt bytes at {} offset {} of the write-ahead log (failed checksum); the"
              + " records there are lost",
          damage.length(),
          damage.file(),
          damage.offset());
    }
  }

  private void replay(
      int type, ByteBuffer payload, SegmentFiles.Info info, Recovery recovery, long[] samples) {
    ByteBuffer record = payload.duplicate();
    String hostId = WalRecords.string(record);
    switch (type) {
      case WalRecords.HELLO -> {
        long time = record.getLong();
        String address = WalRecords.string(record);
        hellos.put(hostId, copy(payload));
        links.remove(hostId);
        recovery.hello(hostId, time, address, record.slice());
      }
      case WalRecords.SAMPLE -> {
        long epoch = WalRecords.getVarint(record);
        long time = WalRecords.getVarint(record);
        info.sampled(1, time);
        switch (recovery.sample(hostId, epoch, record.slice())) {
          case RESTORED -> samples[0]++;
          case ALREADY_STORED -> samples[2]++;
          case UNUSABLE -> samples[1]++;
        }
      }
      case WalRecords.LINK -> {
        boolean left = record.get() == WalRecords.LEFT;
        long time = record.getLong();
        links.put(hostId, copy(payload));
        recovery.link(hostId, left, time);
      }
      default -> throw new IllegalArgumentException("unknown record type " + type);
    }
  }

  private static byte[] copy(ByteBuffer payload) {
    byte[] bytes = new byte[payload.remaining()];
    payload.duplicate().get(bytes);
    return bytes;
  }

  // --------------------------------------------------------------------------------------------
  // Appending (any thread)

  @Override
  public boolean accepting() {
    return !failing && queuedBytes.get() < config.maxQueuedBytes() && !closing;
  }

  @Override
  public void hello(String hostId, long timeMillis, String address, ByteBuffer hello) {
    enqueue(
        new Item(
            WalRecords.HELLO,
            WalRecords.hello(hostId, timeMillis, address, hello),
            hostId,
            0,
            null,
            null));
  }

  @Override
  public void sample(byte[] hostIdUtf8, long epoch, long timeMillis, ByteBuffer snapshot) {
    enqueue(
        new Item(
            WalRecords.SAMPLE,
            WalRecords.sample(hostIdUtf8, epoch, timeMillis, snapshot),
            null,
            timeMillis,
            null,
            null));
  }

  @Override
  public void link(String hostId, boolean left, long timeMillis) {
    enqueue(
        new Item(
            WalRecords.LINK, WalRecords.link(hostId, left, timeMillis), hostId, 0, null, null));
  }

  @Override
  public void chunk(String hostId, int samples, long minMillis, long maxMillis, byte[] body) {
    byte[] payload = BlockLog.record(hostId, samples, minMillis, maxMillis, body);
    if (recovering) {
      // On the thread opening the store, before the committer starts: straight to the blocks.
      blocks.append(payload, samples, minMillis);
      return;
    }
    chunkQueue.offer(new ChunkItem(payload, samples, minMillis, 0));
    if (committerParked) {
      LockSupport.unpark(committer);
    }
  }

  @Override
  public void checkpointWith(Runnable sealOpenChunks) {
    this.sealOpenChunks = sealOpenChunks;
  }

  @Override
  public void whenDurable(Executor executor, Runnable action) {
    enqueue(new Item(0, null, null, 0, executor, action));
  }

  private void enqueue(Item item) {
    queuedBytes.addAndGet(item.bytes());
    queue.offer(item);
    if (committerParked) {
      LockSupport.unpark(committer);
    }
  }

  // --------------------------------------------------------------------------------------------
  // The committer thread

  private void commitLoop() {
    while (true) {
      drainChunks();
      Item item = queue.poll();
      if (item == null) {
        if (writer.pendingRecords() > 0 || waitingActions > 0) {
          long waited = System.nanoTime() - batchStartedNanos;
          if (config.fsync() == FsyncPolicy.BATCH && waited < GROUP_NANOS && !closing) {
            // Let the batch gather what arrives in the next moments: one fsync for all of it.
            // Not marked parked, so producers do not wake this thread for every record.
            LockSupport.parkNanos(this, GROUP_NANOS - waited);
            continue;
          }
          if (!commitBatch()) {
            return; // closing on a disk that would not take the rest
          }
          continue;
        }
        if (closing) {
          drainChunks();
          commitBlocks(true);
          return;
        }
        committerParked = true;
        if (queue.isEmpty() && chunkQueue.isEmpty() && !closing) {
          LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
        }
        committerParked = false;
        commitBlocks(false);
        checkRetention();
        continue;
      }
      take(item);
      if (((config.fsync() == FsyncPolicy.ALWAYS && item.payload() != null)
              || writer.pendingBytes() >= BATCH_BYTES)
          && !commitBatch()) {
        return;
      }
    }
  }

  private void take(Item item) {
    if (writer.pendingRecords() == 0 && waitingActions == 0) {
      batchStartedNanos = System.nanoTime();
    }
    if (item.payload() == null) {
      waiting.computeIfAbsent(item.executor(), e -> new ArrayList<>()).add(item.action());
      waitingActions++;
      return;
    }
    writer.append(item.type(), item.payload(), 0, item.payload().length);
    batchBytes += item.bytes();
    switch (item.type()) {
      case WalRecords.HELLO -> {
        hellos.put(item.hostId(), item.payload());
        links.remove(item.hostId());
      }
      case WalRecords.LINK -> links.put(item.hostId(), item.payload());
      default -> {
        batchSamples++;
        batchOldestMillis = Math.min(batchOldestMillis, item.sampleMillis());
      }
    }
  }

  /**
   * Writes (and syncs) what is buffered, retrying until it succeeds, then runs the waiters.
   *
   * @return false if it gave up: closing, and the disk still failing after 5 s
   */
  private boolean commitBatch() {
    boolean sync = config.fsync() != FsyncPolicy.NEVER;
    long segmentBefore = writer.segment();
    int records = writer.pendingRecords();
    while (true) {
      long started = System.nanoTime();
      try {
        writer.commit(sync);
        if (sync) {
          fsyncTimes.observe(System.nanoTime() - started);
        }
        break;
      } catch (IOException e) {
        writeFailures.incrementAndGet();
        lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!failing) {
          failing = true;
          failingSince = clock.instant();
          log.error(
              "Cannot write the write-ahead log in {}: {}. Refusing agents until it can (they"
                  + " keep their samples); retrying every second",
              walDir,
              lastError);
        }
        if (closing && Duration.between(failingSince, clock.instant()).toSeconds() >= 5) {
          log.error(
              "Stopping with {} records not written ({}); none was acknowledged, the agents"
                  + " will send them again",
              writer.pendingRecords(),
              lastError);
          waiting.clear();
          waitingActions = 0;
          return false;
        }
        LockSupport.parkNanos(this, RETRY_NANOS);
      }
    }
    if (failing) {
      failing = false;
      log.info(
          "Writing the write-ahead log in {} works again (failed since {}); accepting agents",
          walDir,
          failingSince);
      failingSince = null;
    }
    committedRecords.addAndGet(records);
    segments.committed(writer, segmentBefore, batchSamples, batchOldestMillis, clock.millis());
    queuedBytes.addAndGet(-batchBytes);
    batchBytes = 0;
    batchSamples = 0;
    batchOldestMillis = Long.MAX_VALUE;
    waiting.forEach(DurableStore::dispatch);
    waiting.clear();
    waitingActions = 0;
    commitBlocks(false);
    checkRetention();
    maybeCheckpoint();
    return true;
  }

  // --------------------------------------------------------------------------------------------
  // Blocks and checkpoints (committer thread)

  private void drainChunks() {
    ChunkItem item;
    while ((item = chunkQueue.poll()) != null) {
      if (item.payload() != null) {
        blocks.append(item.payload(), item.samples(), item.minMillis());
      } else {
        finishCheckpoint(item.walCutoff());
      }
    }
  }

  /**
   * Writes and syncs the chunks waiting, at most about once a second unless {@code now} (or much
   * waits): a chunk's samples are safe in the log meanwhile.
   *
   * @return true if nothing is left waiting
   */
  private boolean commitBlocks(boolean now) {
    if (!blocks.pending()) {
      return true;
    }
    long since = System.nanoTime() - lastBlockCommitNanos;
    if (!now
        && since < TimeUnit.SECONDS.toNanos(1)
        && blocks.pendingBytes() < BlockLog.COMMIT_BYTES) {
      return false;
    }
    lastBlockCommitNanos = System.nanoTime();
    try {
      blocks.commit();
      if (blockWriteFailing) {
        blockWriteFailing = false;
        log.info("Writing the blocks works again; the log is checkpointed again");
      }
      return true;
    } catch (IOException e) {
      writeFailures.incrementAndGet();
      lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (!blockWriteFailing) {
        blockWriteFailing = true;
        log.error(
            "Cannot write the blocks: {}. The write-ahead log keeps every sample meanwhile (and"
                + " grows); retrying",
            lastError);
      }
      return false;
    }
  }

  /**
   * Once the log is over {@code --wal-size}: seal every host's open chunk on the checkpoint thread
   * (taking each host's lock there, never here), then mark the checkpoint in the chunk queue. Every
   * sample in a segment before the current one was stored before the sealing began, so it is in a
   * chunk queued before the mark.
   */
  private void maybeCheckpoint() {
    Runnable seal = sealOpenChunks;
    if (seal == null
        || checkpointRunning
        || segments.size() < 2
        || segments.bytes() <= config.walBytes()) {
      return;
    }
    checkpointRunning = true;
    long cutoff = writer.segment();
    if (checkpointThread == null) {
      checkpointThread =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread thread = new Thread(r, "vigia-store-checkpoint");
                thread.setDaemon(true);
                return thread;
              });
    }
    checkpointThread.execute(
        () -> {
          try {
            seal.run();
          } finally {
            chunkQueue.offer(new ChunkItem(null, 0, 0, cutoff));
            LockSupport.unpark(committer);
          }
        });
  }

  private void finishCheckpoint(long walCutoff) {
    checkpointRunning = false;
    if (!commitBlocks(true)) {
      return; // tried again at the next checkpoint; the log keeps everything meanwhile
    }
    long deleted = 0;
    int files = 0;
    while (segments.size() > 1 && segments.oldest().number < walCutoff) {
      SegmentFiles.Info oldest = segments.oldest();
      try {
        Files.deleteIfExists(oldest.path);
      } catch (IOException e) {
        log.warn("Cannot delete {} after a checkpoint: {}", oldest.path, e.getMessage());
        break;
      }
      segments.removeOldest();
      deleted += oldest.bytes;
      files++;
    }
    segments.publish();
    checkpoints.incrementAndGet();
    log.debug("Checkpoint: deleted {} log segments ({} MiB)", files, deleted >> 20);
  }

  private static void dispatch(Executor executor, List<Runnable> actions) {
    try {
      executor.execute(() -> runAll(actions));
    } catch (RejectedExecutionException stopped) {
      // The links' event loop is shut down (the collector is stopping): nobody to ack any more.
    }
  }

  private static void runAll(List<Runnable> actions) {
    for (Runnable action : actions) {
      try {
        action.run();
      } catch (RuntimeException e) {
        log.warn("An action waiting for the write-ahead log failed", e);
      }
    }
  }

  /** At a new segment's start: every host's latest Hello and link state, so it reads alone. */
  private void repeatHosts() {
    for (byte[] hello : hellos.values()) {
      writer.append(WalRecords.HELLO, hello, 0, hello.length);
    }
    for (byte[] link : links.values()) {
      writer.append(WalRecords.LINK, link, 0, link.length);
    }
  }

  private void checkRetention() {
    long now = clock.millis();
    if (now < nextRetentionCheck) {
      return;
    }
    nextRetentionCheck = now + 1000;
    blocks.applyRetention(dropped);
  }

  // --------------------------------------------------------------------------------------------

  @Override
  public StoreStatus status() {
    Map<String, Long> drops = new TreeMap<>();
    dropped.forEach((reason, n) -> drops.put(reason, n.get()));
    long oldest = Math.min(segments.oldestSampleMillis(), blocks.oldestSampleMillis());
    return new StoreStatus(
        config.dir().toString(),
        config.fsync().flag(),
        !failing,
        failingSince,
        lastError,
        segments.bytes(),
        segments.count(),
        new StoreStatus.Blocks(
            blocks.bytes(),
            blocks.segments(),
            blocks.chunks(),
            blocks.samples(),
            checkpoints.get()),
        oldest == Long.MAX_VALUE ? null : Instant.ofEpochMilli(oldest),
        queuedBytes.get(),
        writeFailures.get(),
        committedRecords.get(),
        recovered,
        drops,
        fsyncTimes.snapshot());
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closing = true;
    if (checkpointThread != null) {
      checkpointThread.shutdown();
    }
    if (committer.isAlive()) {
      LockSupport.unpark(committer);
      try {
        committer.join(TimeUnit.SECONDS.toMillis(15));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      if (writer != null) {
        writer.close();
      }
    } catch (IOException e) {
      log.warn("Closing the write-ahead log: {}", e.getMessage());
    }
    try {
      if (blocks != null) {
        blocks.close();
      }
    } catch (IOException e) {
      log.warn("Closing the blocks: {}", e.getMessage());
    }
    try {
      lock.close();
    } catch (IOException e) {
      log.warn("Releasing {}: {}", config.dir(), e.getMessage());
    }
  }
}
