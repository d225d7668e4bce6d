package io.vigia.collector.store;

import io.vigia.journal.DirectoryLock;
import io.vigia.journal.JournalFormat;
import io.vigia.journal.JournalFormatException;
import io.vigia.journal.JournalReader;
import io.vigia.journal.JournalWriter;
import io.vigia.journal.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
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

  /** What is known of one segment file, for retention. */
  private static final class SegmentInfo {
    final long number;
    final Path path;
    long bytes;
    long samples;
    long oldestSampleMillis = Long.MAX_VALUE;
    long lastWriteMillis;

    SegmentInfo(long number, Path path) {
      this.number = number;
      this.path = path;
    }
  }

  private final StoreConfig config;
  private final InstantSource clock;
  private final DirectoryLock lock;
  private final Path walDir;
  private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Thread committer;
  private volatile boolean committerParked;
  private volatile boolean closing;
  private boolean closed;

  // Owned by the committer thread (and by open() before it starts).
  private JournalWriter writer;
  private final Map<String, byte[]> hellos = new LinkedHashMap<>();
  private final Map<String, byte[]> links = new LinkedHashMap<>();
  private final ArrayDeque<SegmentInfo> segments = new ArrayDeque<>();
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
  private volatile long logBytes;
  private volatile int segmentCount;
  private volatile long oldestSampleMillis = Long.MAX_VALUE;
  private final AtomicLong writeFailures = new AtomicLong();
  private final AtomicLong committedRecords = new AtomicLong();
  private final Map<String, AtomicLong> dropped = new TreeMap<>();
  private volatile StoreStatus.Recovery recovered = StoreStatus.Recovery.NONE;
  private final FsyncTimes fsyncTimes = new FsyncTimes();

  private DurableStore(StoreConfig config, InstantSource clock, DirectoryLock lock) {
    this.config = config;
    this.clock = clock;
    this.lock = lock;
    this.walDir = config.dir().resolve("wal");
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
      store.recover(recovery);
      store.writer =
          JournalWriter.open(
              store.walDir,
              JournalFormat.Kind.COLLECTOR_WAL,
              config.segmentBytes(),
              MAX_PAYLOAD_BYTES);
      store.writer.onNewSegment(store::repeatHosts);
      store.repeatHosts();
      store.writer.commit(config.fsync() != FsyncPolicy.NEVER);
      store.startedSegment(store.writer.segment());
    } catch (JournalFormatException e) {
      store.closeQuietly();
      throw new DataDirectoryException(e.getMessage(), e);
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
    long[] samples = new long[3]; // restored, unrestorable, left on disk (older than kept)
    Map<Long, SegmentInfo> infos = new TreeMap<>();
    int newest = recovery.newestPerHost();
    // First pass (only when the recovery keeps a bounded window): how many samples each host has,
    // so the second decodes only its newest. It also cuts a torn tail and reports damage.
    Map<String, long[]> perHost = new HashMap<>();
    JournalReader.Summary summary =
        JournalReader.read(
            walDir,
            JournalFormat.Kind.COLLECTOR_WAL,
            MAX_PAYLOAD_BYTES,
            true,
            new JournalReader.Visitor() {
              @Override
              public void record(int type, ByteBuffer payload, long segment, long offset) {
                if (newest == Integer.MAX_VALUE) {
                  restore(type, payload, segment, offset);
                } else if (type == WalRecords.SAMPLE) {
                  try {
                    perHost
                        .computeIfAbsent(WalRecords.string(payload.duplicate()), id -> new long[2])[
                        0]++;
                  } catch (RuntimeException e) {
                    // counted when the second pass meets it
                  }
                }
              }

              @Override
              public void damaged(JournalReader.Damage damage) {
                logDamage(damage);
              }

              void restore(int type, ByteBuffer payload, long segment, long offset) {
                replayRecord(type, payload, segment, offset, infos, recovery, samples, null, 0);
              }
            });
    if (newest != Integer.MAX_VALUE) {
      JournalReader.read(
          walDir,
          JournalFormat.Kind.COLLECTOR_WAL,
          MAX_PAYLOAD_BYTES,
          false,
          (type, payload, segment, offset) ->
              replayRecord(
                  type, payload, segment, offset, infos, recovery, samples, perHost, newest));
    }
    long unclaimed = recovery.done();
    samples[0] -= unclaimed;
    samples[1] += unclaimed;
    for (Segment segment : Segment.list(walDir)) {
      SegmentInfo info =
          infos.computeIfAbsent(segment.number(), n -> new SegmentInfo(n, segment.path()));
      info.bytes = segment.bytes();
      info.lastWriteMillis = Files.getLastModifiedTime(segment.path()).toMillis();
      segments.addLast(info);
    }
    publishSegments();
    dropped.get("corrupt").set(summary.corruptRegions() + samples[1]);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    recovered =
        new StoreStatus.Recovery(
            hellos.size(),
            samples[0],
            samples[1],
            summary.tornBytes(),
            summary.corruptRegions(),
            summary.corruptBytes(),
            took);
    if (summary.segments() > 0) {
      log.info(
          "Read the write-ahead log in {} ms: {} hosts, {} samples into memory ({} older ones"
              + " kept on disk only) from {} segments ({} MiB){}",
          took.toMillis(),
          hellos.size(),
          samples[0],
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
      int type,
      ByteBuffer payload,
      long segment,
      long offset,
      Map<Long, SegmentInfo> infos,
      Recovery recovery,
      long[] samples,
      Map<String, long[]> perHost,
      int newest) {
    SegmentInfo info =
        infos.computeIfAbsent(segment, n -> new SegmentInfo(n, walDir.resolve(fileName(n))));
    try {
      replay(type, payload, info, recovery, samples, perHost, newest);
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
      int type,
      ByteBuffer payload,
      SegmentInfo info,
      Recovery recovery,
      long[] samples,
      Map<String, long[]> perHost,
      int newest) {
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
        info.samples++;
        info.oldestSampleMillis = Math.min(info.oldestSampleMillis, time);
        long[] counts = perHost == null ? null : perHost.get(hostId);
        if (counts != null && ++counts[1] <= counts[0] - newest) {
          samples[2]++; // older than the newest the registry keeps: it stays on disk only
          return;
        }
        if (recovery.sample(hostId, epoch, record.slice())) {
          samples[0]++;
        } else {
          samples[1]++;
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

  private static String fileName(long segment) {
    return String.format("%016d.seg", segment);
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
          return;
        }
        committerParked = true;
        if (queue.isEmpty() && !closing) {
          LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
        }
        committerParked = false;
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
    SegmentInfo current = segments.peekLast();
    current.samples += batchSamples;
    current.oldestSampleMillis = Math.min(current.oldestSampleMillis, batchOldestMillis);
    current.lastWriteMillis = clock.millis();
    if (writer.segment() != segmentBefore) {
      current.bytes = sizeOf(current.path);
      startedSegment(writer.segment());
    }
    segments.peekLast().bytes = writer.segmentSize();
    queuedBytes.addAndGet(-batchBytes);
    batchBytes = 0;
    batchSamples = 0;
    batchOldestMillis = Long.MAX_VALUE;
    waiting.forEach(DurableStore::dispatch);
    waiting.clear();
    waitingActions = 0;
    publishSegments();
    checkRetention();
    return true;
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

  private void startedSegment(long number) {
    SegmentInfo info = new SegmentInfo(number, walDir.resolve(fileName(number)));
    info.lastWriteMillis = clock.millis();
    segments.addLast(info);
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private void checkRetention() {
    long now = clock.millis();
    if (now < nextRetentionCheck) {
      return;
    }
    nextRetentionCheck = now + 1000;
    long total = segments.stream().mapToLong(s -> s.bytes).sum();
    long oldestAllowed = now - config.retention().toMillis();
    while (segments.size() > 1) {
      SegmentInfo oldest = segments.peekFirst();
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
      segments.removeFirst();
      total -= oldest.bytes;
      dropped.get(reason).addAndGet(oldest.samples);
      log.info(
          "Deleted {} ({} samples, {} MiB): {}",
          oldest.path.getFileName(),
          oldest.samples,
          oldest.bytes >> 20,
          reason.equals("retention_size")
              ? "the log is over --retention-size " + config.retentionBytes()
              : "last written more than --retention " + config.retention() + " ago");
    }
    publishSegments();
  }

  private void publishSegments() {
    long bytes = 0;
    long oldest = Long.MAX_VALUE;
    for (SegmentInfo info : segments) {
      bytes += info.bytes;
      oldest = Math.min(oldest, info.oldestSampleMillis);
    }
    logBytes = bytes;
    segmentCount = segments.size();
    oldestSampleMillis = oldest;
  }

  // --------------------------------------------------------------------------------------------

  @Override
  public StoreStatus status() {
    Map<String, Long> drops = new TreeMap<>();
    dropped.forEach((reason, n) -> drops.put(reason, n.get()));
    long oldest = oldestSampleMillis;
    return new StoreStatus(
        config.dir().toString(),
        config.fsync().flag(),
        !failing,
        failingSince,
        lastError,
        logBytes,
        segmentCount,
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
      lock.close();
    } catch (IOException e) {
      log.warn("Releasing {}: {}", config.dir(), e.getMessage());
    }
  }
}
