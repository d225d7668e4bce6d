package io.vigia.agent.link;

import io.vigia.codec.Durations;
import io.vigia.codec.Protocol;
import io.vigia.journal.DirectoryLock;
import io.vigia.journal.JournalFormat;
import io.vigia.journal.JournalReader;
import io.vigia.journal.JournalWriter;
import io.vigia.journal.Segment;
import io.vigia.proto.Hello;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's spool on disk: every sample not yet acknowledged, in a journal directory ({@code
 * docs/format/spool.md}), so that neither a week of outage nor a restart of the agent loses any.
 *
 * <ul>
 *   <li>Each sample is written (one {@code write(2)}, into the page cache) as it is spooled, so a
 *       {@code kill -9} loses nothing; {@link #tick} fsyncs what was written, every {@code
 *       --spool-sync}, on the {@code syncer} thread so that the event loop never waits for the
 *       device.
 *   <li>Segments are small ({@link Bounds#segmentBytes}); acknowledged samples are released by
 *       deleting a segment once none of its samples is left, and the acknowledged position is
 *       written down as small ACKED records (at each tick if it moved, and at the head of every
 *       segment), never by rewriting a file.
 *   <li>Past {@code --spool-bytes} or {@code --spool} the oldest segment goes whole, its samples
 *       counted as dropped.
 *   <li>At start the directory is read back: the samples of earlier runs keep their epochs and
 *       sequences ({@link #earlier}), a torn tail is cut, a damaged record is skipped and the
 *       samples it held are counted as dropped.
 * </ul>
 *
 * <p>Memory: an index of 4 bytes per spooled sample, not the samples; {@link EpochSpool#get} reads
 * a sample back (a positional read of a few hundred bytes, from the page cache as a rule) when it
 * is sent.
 *
 * <p>If the disk fails while the agent runs (full, removed, read-only), one line says so and the
 * current run's new samples go to a {@link MemorySpool} instead; the agent keeps working.
 *
 * <p>Not thread-safe: confined to the link's event loop, except the fsyncs, which run on {@code
 * syncer} and touch no state of this class.
 */
final class SpoolDirectory implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SpoolDirectory.class);

  static final int HELLO = 1;
  static final int SAMPLE = 2;
  static final int ACKED = 3;
  static final int SAMPLE_HEADER_BYTES = 17;
  static final int MAX_PAYLOAD = Protocol.DEFAULT_MAX_FRAME_BYTES + SAMPLE_HEADER_BYTES;
  private static final int RECORD_OVERHEAD = 9;
  private static final long DROP_LOG_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

  /**
   * How much the directory may hold.
   *
   * @param maxBytes the segments' total size, at most
   * @param maxAge samples older than this go (a segment goes once its newest is)
   * @param segmentBytes a segment ends once past this size
   * @param syncEvery how often what was written is fsynced
   */
  record Bounds(long maxBytes, Duration maxAge, long segmentBytes, Duration syncEvery) {
    Bounds {
      Objects.requireNonNull(maxAge, "maxAge");
      Objects.requireNonNull(syncEvery, "syncEvery");
      if (segmentBytes < 1024 || maxBytes < 2 * segmentBytes) {
        throw new IllegalArgumentException(
            "the spool must hold at least two segments of at least 1 KiB: "
                + maxBytes
                + " bytes, segments of "
                + segmentBytes);
      }
    }

    /** Segments of a 32nd of the bound, between 64 KiB and 1 MiB. */
    static Bounds of(long maxBytes, Duration maxAge, Duration syncEvery) {
      long segment = Math.max(64 << 10, Math.min(1 << 20, maxBytes / 32));
      return new Bounds(Math.max(maxBytes, 2 * segment), maxAge, segment, syncEvery);
    }
  }

  /** One segment file, as the index knows it. */
  static final class SegmentFile {
    final long number;
    final Path path;
    final EpochSpool epoch;
    long bytes;
    long newestMillis;
    long oldestMillis = Long.MAX_VALUE;
    // Samples indexed and neither acknowledged nor dropped.
    int live;

    SegmentFile(long number, Path path, EpochSpool epoch, long bytes) {
      this.number = number;
      this.path = path;
      this.epoch = epoch;
      this.bytes = bytes;
    }
  }

  /** A sample read back. */
  record Read(byte[] frame, boolean compact) {}

  /** What start found in the directory. */
  record Recovery(
      long samples, int runs, long oldestMillis, long damagedSamples, long tornBytes, long bytes) {}

  private final Path dir;
  private final Bounds bounds;
  private final InstantSource clock;
  private final Executor syncer;
  private final DirectoryLock lock;
  private final TreeMap<Long, SegmentFile> segments = new TreeMap<>();
  private final List<EpochSpool> earlier = new ArrayList<>();
  private final EpochSpool current;
  private final Recovery recovery;
  private JournalWriter writer;
  private boolean recovering = true;
  private long totalBytes;
  private long dropped;
  private final Map<Long, Path> unsynced = new LinkedHashMap<>();
  private FileChannel reading;
  private SegmentFile readingSegment;
  private long dropsLogged;
  private long lastDropLog = Long.MIN_VALUE;
  private final LongSupplier nanoTime;

  private SpoolDirectory(
      Path dir,
      Hello hello,
      Bounds bounds,
      InstantSource clock,
      Executor syncer,
      LongSupplier nanoTime,
      DirectoryLock lock)
      throws IOException {
    this.dir = dir;
    this.bounds = bounds;
    this.clock = clock;
    this.syncer = syncer;
    this.nanoTime = nanoTime;
    this.lock = lock;
    this.recovery = recover();
    this.current = new EpochSpool(this, withoutToken(hello), true);
    this.writer =
        JournalWriter.open(dir, JournalFormat.Kind.AGENT_SPOOL, bounds.segmentBytes(), MAX_PAYLOAD);
    newSegment();
    writer.onNewSegment(this::newSegment);
    writer.commit(true);
    // Only now that this run's first segment says where every run was acknowledged.
    recovering = false;
    for (SegmentFile file : List.copyOf(segments.values())) {
      released(file);
    }
  }

  /**
   * Takes the directory (creating it), reads what earlier runs left in it, and starts this run's
   * segments.
   *
   * @param hello this run's Hello
   * @param syncer where fsyncs run: a thread of their own
   * @throws DirectoryLock.HeldException if another agent holds the directory
   * @throws IOException if it cannot be created, read or written; nothing is left held
   */
  static SpoolDirectory open(
      Path dir,
      Hello hello,
      Bounds bounds,
      InstantSource clock,
      Executor syncer,
      LongSupplier nanoTime)
      throws IOException {
    DirectoryLock lock = DirectoryLock.acquire(dir);
    try {
      return new SpoolDirectory(dir, hello, bounds, clock, syncer, nanoTime, lock);
    } catch (IOException | RuntimeException e) {
      try {
        lock.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  Path path() {
    return dir;
  }

  /** The spools of earlier runs that still hold samples, oldest run first. */
  List<EpochSpool> earlier() {
    return List.copyOf(earlier);
  }

  /** This run's spool. */
  EpochSpool current() {
    return current;
  }

  Recovery recovery() {
    return recovery;
  }

  /** Samples dropped in this run: bounds reached, damaged records at start, unreadable ones. */
  long dropped() {
    return dropped;
  }

  /** Bytes the segments take on disk. */
  long bytes() {
    return totalBytes;
  }

  /** Whether new samples still go to disk (false once the disk failed). */
  boolean writing() {
    return writer != null;
  }

  /** Samples held, every run's. */
  long held() {
    long held = current.size();
    for (EpochSpool spool : earlier) {
      held += spool.size();
    }
    return held;
  }

  // ---- start ----

  private Recovery recover() throws IOException {
    Map<Long, EpochSpool> byEpoch = new HashMap<>();
    Map<Long, Long> acked = new HashMap<>();
    SegmentFile[] segment = {null};
    long[] orphans = {0};
    long[] oldest = {Long.MAX_VALUE};
    JournalReader.Summary summary =
        JournalReader.read(
            dir,
            JournalFormat.Kind.AGENT_SPOOL,
            MAX_PAYLOAD,
            true,
            new JournalReader.Visitor() {
              @Override
              public void record(int type, ByteBuffer payload, long number, long offset)
                  throws IOException {
                if (segment[0] == null || segment[0].number != number) {
                  segment[0] = null;
                }
                switch (type) {
                  case HELLO -> {
                    if (segment[0] != null) {
                      return;
                    }
                    Hello hello = Hello.parseFrom(payload);
                    EpochSpool spool =
                        byEpoch.computeIfAbsent(
                            hello.getEpoch(),
                            epoch -> {
                              EpochSpool created =
                                  new EpochSpool(SpoolDirectory.this, hello, false);
                              earlier.add(created);
                              return created;
                            });
                    SegmentFile file =
                        new SegmentFile(
                            number, dir.resolve(segmentName(number)), spool, Long.MAX_VALUE);
                    segments.put(number, file);
                    segment[0] = file;
                  }
                  case SAMPLE -> {
                    if (segment[0] == null) {
                      orphans[0]++;
                      return;
                    }
                    long seq = payload.getLong(0);
                    long taken = payload.getLong(8);
                    EpochSpool spool = segment[0].epoch;
                    if (seq <= spool.newestSeq()) {
                      return; // never written so; not trusted
                    }
                    spool.indexed(segment[0], seq, (int) offset);
                    segment[0].newestMillis = Math.max(segment[0].newestMillis, taken);
                    segment[0].oldestMillis = Math.min(segment[0].oldestMillis, taken);
                    oldest[0] = Math.min(oldest[0], taken);
                  }
                  case ACKED -> acked.merge(payload.getLong(0), payload.getLong(8), Math::max);
                  default -> {
                    // a record type of a later version: not needed to replay samples
                  }
                }
              }

              @Override
              public void damaged(JournalReader.Damage damage) {
                log.warn(
                    "Spool {} damaged at offset {} ({} bytes{}); skipped",
                    damage.file(),
                    damage.offset(),
                    damage.length(),
                    damage.tornTail() ? ", an unfinished write" : "");
              }
            });
    // What the segment listing knows and the records could not say: sizes, segments with no Hello.
    for (Segment listed : Segment.list(dir)) {
      SegmentFile file = segments.get(listed.number());
      if (file == null) {
        Files.deleteIfExists(listed.path()); // nothing in it can be attributed to a run
      } else {
        file.bytes = Files.size(listed.path());
      }
    }
    long damaged = orphans[0];
    for (EpochSpool spool : earlier) {
      damaged += gaps(spool);
      spool.acked = acked.getOrDefault(spool.epoch(), 0L);
      spool.ackedWritten = spool.acked;
      spool.release(spool.acked, false);
    }
    earlier.removeIf(spool -> spool.size() == 0);
    for (SegmentFile file : segments.values()) {
      totalBytes += file.bytes;
    }
    if (damaged > 0) {
      countDropped(damaged, "held by damaged records");
    }
    long samples = 0;
    for (EpochSpool spool : earlier) {
      samples += spool.size();
    }
    return new Recovery(
        samples,
        earlier.size(),
        samples == 0 ? 0 : oldest[0],
        damaged,
        summary.tornBytes(),
        totalBytes);
  }

  /** Sequences missing between the samples indexed: what damaged records held. */
  private static long gaps(EpochSpool spool) {
    long missing = 0;
    long previous = 0;
    for (EpochSpool.Piece piece : spool.pieces) {
      if (previous > 0 && piece.firstSeq > previous + 1) {
        missing += piece.firstSeq - previous - 1;
      }
      previous = piece.last();
    }
    return missing;
  }

  private static String segmentName(long number) {
    return String.format("%016d.seg", number);
  }

  // ---- writing ----

  /** At the head of every segment: the run's Hello and where every run still held was acked. */
  private void newSegment() {
    SegmentFile file =
        new SegmentFile(
            writer.segment(),
            dir.resolve(segmentName(writer.segment())),
            current,
            writer.segmentSize());
    segments.put(file.number, file);
    totalBytes += file.bytes;
    unsynced.put(file.number, file.path);
    appendRecord(file, HELLO, ByteBuffer.wrap(current.hello().toByteArray()));
    for (EpochSpool spool : earlier) {
      appendAcked(file, spool);
    }
    appendAcked(file, current);
  }

  private void appendAcked(SegmentFile file, EpochSpool spool) {
    if (spool.acked > 0) {
      appendRecord(
          file, ACKED, ByteBuffer.allocate(16).putLong(spool.epoch()).putLong(spool.acked).flip());
      spool.ackedWritten = spool.acked;
    }
  }

  private void appendRecord(SegmentFile file, int type, ByteBuffer payload) {
    file.bytes += RECORD_OVERHEAD + payload.remaining();
    totalBytes += RECORD_OVERHEAD + payload.remaining();
    writer.append(type, payload);
  }

  /**
   * Writes the sample {@code seq} of the current run; false if the disk failed (it then belongs in
   * memory).
   */
  boolean append(EpochSpool spool, long seq, byte[] frame, boolean compact) {
    if (writer == null) {
      return false;
    }
    SegmentFile file = segments.get(writer.segment());
    long offset = writer.segmentSize() + writer.pendingBytes();
    long now = clock.millis();
    ByteBuffer payload = ByteBuffer.allocate(SAMPLE_HEADER_BYTES + frame.length);
    payload.putLong(seq).putLong(now).put((byte) (compact ? 1 : 0)).put(frame).flip();
    try {
      appendRecord(file, SAMPLE, payload);
      long before = writer.segment();
      writer.commit(false);
      unsynced.put(file.number, file.path);
      spool.indexed(file, seq, (int) offset);
      file.newestMillis = now;
      file.oldestMillis = Math.min(file.oldestMillis, now);
      if (writer.segment() != before) {
        released(file); // a full segment whose samples were all acked meanwhile
      }
      return true;
    } catch (IOException | RuntimeException e) {
      failed(e);
      return false;
    }
  }

  /** The disk failed: one line, and memory from now on. */
  private void failed(Exception e) {
    log.error(
        "Cannot write the spool in {} ({}); keeping new samples in memory only until the agent"
            + " restarts. The {} samples already on disk stay there and are sent from there",
        dir,
        e.toString(),
        held());
    try {
      writer.close();
    } catch (IOException ignored) {
      // already failing; the line above says so
    }
    writer = null;
    onMemory.run();
  }

  private Runnable onMemory = () -> {};

  /** What to do when the disk fails: give the current run its memory spool. */
  void onMemory(Runnable action) {
    this.onMemory = action;
  }

  /**
   * Every {@code --spool-sync}, on the loop: writes down acknowledgements that moved and hands the
   * segments written since the last tick to the syncer.
   */
  void tick() {
    if (writer == null || !writeAcks()) {
      return;
    }
    if (!unsynced.isEmpty()) {
      List<Path> paths = List.copyOf(unsynced.values());
      unsynced.clear();
      syncer.execute(() -> fsync(paths));
    }
  }

  /**
   * Appends an ACKED record for every run whose acknowledgement moved; false if the disk failed.
   */
  private boolean writeAcks() {
    SegmentFile file = segments.get(writer.segment());
    boolean wrote = false;
    for (EpochSpool spool : earlier) {
      if (spool.acked > spool.ackedWritten) {
        appendAcked(file, spool);
        wrote = true;
      }
    }
    if (current.acked > current.ackedWritten) {
      appendAcked(file, current);
      wrote = true;
    }
    if (wrote) {
      try {
        writer.commit(false);
        unsynced.put(file.number, file.path);
      } catch (IOException e) {
        failed(e);
        return false;
      }
    }
    return true;
  }

  /** On the syncer: fsync(2) of each file (any descriptor of a file flushes its pages). */
  private static void fsync(List<Path> paths) {
    for (Path path : paths) {
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
        channel.force(false);
      } catch (NoSuchFileException released) {
        // acknowledged and deleted meanwhile
      } catch (IOException e) {
        log.warn("Cannot fsync the spool segment {}: {}", path, e.toString());
      }
    }
  }

  // ---- reading ----

  Read read(SegmentFile file, int offset, long seq) {
    try {
      if (readingSegment != file) {
        closeReading();
        reading = FileChannel.open(file.path, StandardOpenOption.READ);
        readingSegment = file;
      }
      JournalReader.Record record = JournalReader.readAt(reading, offset, MAX_PAYLOAD);
      if (record != null && record.type() == SAMPLE) {
        ByteBuffer payload = ByteBuffer.wrap(record.payload());
        if (payload.getLong(0) == seq) {
          byte[] frame = new byte[record.payload().length - SAMPLE_HEADER_BYTES];
          payload.get(SAMPLE_HEADER_BYTES, frame);
          return new Read(frame, (payload.get(16) & 1) != 0);
        }
      }
      log.warn("Spool {}: the sample {} at offset {} is damaged; dropped", file.path, seq, offset);
    } catch (IOException e) {
      log.warn("Spool {}: cannot read the sample {} back ({}); dropped", file.path, seq, e);
    }
    return null;
  }

  private void closeReading() {
    if (reading != null) {
      try {
        reading.close();
      } catch (IOException ignored) {
        // read-only
      }
      reading = null;
      readingSegment = null;
    }
  }

  // ---- releasing and bounds ----

  /** Deletes {@code file} if it holds no sample any more and is not being written. */
  void released(SegmentFile file) {
    if (recovering || file.live > 0 || (writer != null && file.number == writer.segment())) {
      // While reading at start, nothing goes before this run's first segment says where each
      // run was acknowledged.
      return;
    }
    if (segments.remove(file.number) != null) {
      delete(file);
    }
  }

  private void delete(SegmentFile file) {
    totalBytes -= file.bytes;
    unsynced.remove(file.number);
    if (readingSegment == file) {
      closeReading();
    }
    try {
      Files.deleteIfExists(file.path);
    } catch (IOException e) {
      log.warn("Cannot delete the spool segment {}: {}", file.path, e.toString());
    }
  }

  /**
   * Drops the oldest segments while a sample of {@code frameBytes} would take the directory past
   * its size, and those whose newest sample is past the age.
   *
   * @return true if any sample was dropped
   */
  boolean makeRoom(int frameBytes) {
    long before = dropped;
    long tooOld = clock.millis() - bounds.maxAge().toMillis();
    long need = RECORD_OVERHEAD + SAMPLE_HEADER_BYTES + (long) frameBytes;
    while (!segments.isEmpty()) {
      SegmentFile oldest = segments.firstEntry().getValue();
      if (writer != null && oldest.number == writer.segment()) {
        break; // the one being written: it goes once full and rotated
      }
      boolean overBytes = writer != null && totalBytes + need > bounds.maxBytes();
      if (!overBytes && oldest.newestMillis >= tooOld) {
        break;
      }
      segments.remove(oldest.number);
      countDropped(
          oldest.epoch.forget(oldest),
          "the oldest, past --spool-bytes "
              + bounds.maxBytes()
              + " or --spool "
              + Durations.format(bounds.maxAge()));
      delete(oldest);
    }
    earlier.removeIf(spool -> spool.size() == 0);
    return dropped != before;
  }

  /** Samples lost: counted, and logged at most once a minute. */
  void countDropped(long samples, String reason) {
    if (samples <= 0) {
      return;
    }
    dropped += samples;
    long now = nanoTime.getAsLong();
    if (lastDropLog == Long.MIN_VALUE || now - lastDropLog >= DROP_LOG_EVERY_NANOS) {
      log.warn(
          "Spool {}: dropped {} samples ({}); {} in this run",
          dir,
          dropped - dropsLogged,
          reason,
          dropped);
      dropsLogged = dropped;
      lastDropLog = now;
    }
  }

  /** An earlier run's samples are all delivered: it is no longer listed. */
  void delivered(EpochSpool spool) {
    earlier.remove(spool);
  }

  // ---- stopping ----

  /**
   * Writes down the acknowledgements and fsyncs, then lets the directory go. What is not
   * acknowledged stays for the next start. Idempotent.
   */
  @Override
  public void close() {
    closeReading();
    if (writer != null) {
      try {
        if (writeAcks()) {
          writer.commit(true);
          fsync(List.copyOf(unsynced.values()));
          writer.close();
        }
      } catch (IOException e) {
        log.warn("Cannot finish writing the spool in {}: {}", dir, e.toString());
      }
      writer = null;
    }
    try {
      lock.close();
    } catch (IOException e) {
      log.debug("Releasing the lock of {}: {}", dir, e.toString());
    }
  }

  /**
   * For tests: lets the directory go as a {@code kill -9} would, writing nothing more (what was
   * written stays in the files).
   */
  void abandon() throws IOException {
    closeReading();
    if (writer != null) {
      writer.close();
      writer = null;
    }
    lock.close();
  }

  /** When the oldest segment still holding samples began to be written, or null if none does. */
  Instant oldestSample() {
    for (SegmentFile file : segments.values()) {
      if (file.live > 0 && file.oldestMillis != Long.MAX_VALUE) {
        return Instant.ofEpochMilli(file.oldestMillis);
      }
    }
    return null;
  }

  private static Hello withoutToken(Hello hello) {
    return hello.toBuilder().clearToken().build();
  }
}
