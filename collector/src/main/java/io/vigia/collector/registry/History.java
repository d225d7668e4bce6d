package io.vigia.collector.registry;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The last {@code capacity} samples of one host, encoded: samples go into an open chunk as a stream
 * of bits, and every {@link #CHUNK_SAMPLES} samples the chunk is sealed into one array of exactly
 * the words it needs; the ring drops a whole chunk once the chunks after it hold {@code capacity}
 * samples, while {@link #size()} and {@link #last(int)} see exactly the newest {@code capacity}.
 *
 * <p>Each sample is written against the previous one of its chunk (a chunk starts from zeros, so it
 * can be read alone): one bit when its {@link Shape} (CPU present, families, devices) is the
 * previous sample's, else the index of its shape in the chunk's few; then with {@link
 * BitWriter#putDelta} (1 bit for zero, 6 up to ±8, at most 75) the epoch as a difference, the
 * sequence number and the time in milliseconds as differences of differences (a steady 5 s cadence
 * costs a bit each, a few milliseconds of jitter six), the interval as a difference; then every
 * figure as the difference from the same column's previous value with {@link BitWriter#putRow}: one
 * bit if unchanged, else its bit length coded against the length of the column's previous
 * difference (1 to 9 bits) and its significant bits (CPU: busy, 8 modes, each core; the families as
 * {@link FamilyHistory} writes them). Every field comes back exactly as appended, any {@code long}
 * included (times at millisecond precision, as samples carry them).
 *
 * <p>Memory: what the figures need (on the realistic 5 s samples of {@code scripts/bench-sizes}
 * about a byte per value: 5 to 7 bits for a CPU value that moved by a few per mille, 2 to 4 bytes
 * for a noisy rate, one bit for a figure that did not change; 58 KiB per host-hour for 16 cores and
 * all families, 2 to 2.4 bytes per value when every value is random), plus per chunk a small record
 * and its list of shapes, plus the open chunk's buffer (kept from chunk to chunk, about a chunk's
 * size) and per column a {@code long} and a byte for its previous value and length, which are also
 * what {@link #latest()} reads, so it decodes nothing. Up to a chunk's samples beyond {@code
 * capacity} stay held until every sample of the oldest chunk is older than the newest {@code
 * capacity}.
 *
 * <p>Not thread-safe: its {@link Host} guards it (every call under the host's lock). {@link
 * #last(int)} and {@link #latest()} return new objects that share nothing mutable with it.
 */
final class History {

  /** Samples per chunk: five minutes at a 5 s interval. */
  static final int CHUNK_SAMPLES = 60;

  private static final int MODES = 8;

  private final int capacity;
  private final int cores;
  private final int chunkSamples;
  private final ArrayDeque<Chunk> sealed = new ArrayDeque<>();
  private int sealedSamples;
  private final BitWriter open;
  private final List<Shape> openShapes = new ArrayList<>(2);
  private int openSamples;
  private long openMinTime;
  private long openMaxTime;
  // The open chunk's epochs with the last sequence of each, as pairs (nearly always one).
  private long[] openEpochs = new long[2];
  private int openEpochCount;
  // What latest() returns when the newest samples were adopted as sealed chunks, whose column
  // state (the base of latest()) was not rebuilt; null once a sample is appended.
  private StoredSample adoptedLatest;
  private final FamilyHistory families = new FamilyHistory();
  // The sample written last, as the base of the next one's differences (all zero at a chunk's
  // start) and as what latest() returns.
  private Shape shape;
  private long epoch;
  private long seq;
  private long seqStep;
  private long time;
  private long timeStep;
  private int interval;
  // busy, the 8 modes (user, nice, system, iowait, irq, softirq, steal, idle), each core.
  private final long[] cpu;
  private final byte[] cpuLengths;
  // The figures of the sample being appended, in the order of cpu.
  private final long[] cpuRow;

  /**
   * A sealed chunk: its bits, how many samples they hold, the shapes they refer to, the range of
   * its sample times, and its epochs each with its last sequence number (pairs, in order). Reads
   * alone: the first sample's differences are taken from zeros. Immutable once sealed (the arrays
   * are never written again), so it can be handed to another thread, as {@link ChunkSink} does.
   */
  record Chunk(
      long[] bits, int samples, List<Shape> shapes, long minTime, long maxTime, long[] epochs) {}

  History(int capacity, int cores) {
    if (capacity < 1) {
      throw new IllegalArgumentException("history capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.cores = cores;
    this.chunkSamples = Math.min(CHUNK_SAMPLES, capacity);
    this.cpu = new long[1 + MODES + cores];
    this.cpuLengths = new byte[cpu.length];
    this.cpuRow = new long[cpu.length];
    this.open = new BitWriter(8);
  }

  int cores() {
    return cores;
  }

  int size() {
    return Math.min(sealedSamples + openSamples, capacity);
  }

  /**
   * Adds a sample; once full, the oldest samples leave a chunk at a time.
   *
   * @return the chunk this sample completed and sealed, or null
   */
  Chunk append(StoredSample sample) {
    CpuFigures c = sample.cpu();
    if (c != null && c.cores() != cores) {
      throw new IllegalArgumentException(
          "sample has " + c.cores() + " cores, this history " + cores);
    }
    boolean hasCpu = c != null;
    Families f = sample.families();
    Shape s = shape;
    if (s == null || !s.matches(hasCpu, f)) {
      FamilyHistory.Resolved resolved = families.resolve(hasCpu, f, () -> heldShapes().iterator());
      f = resolved.kept();
      s = resolved.shape().equals(shape) ? shape : resolved.shape();
    }
    if (openSamples == 0) {
      restart();
    }
    adoptedLatest = null;
    BitWriter out = open;
    if (openSamples > 0 && s == shape) {
      out.write(0, 1);
    } else {
      int index = openShapes.indexOf(s);
      if (index < 0) {
        index = openShapes.size();
        openShapes.add(s);
      }
      out.write(1, 1);
      out.putDelta(index);
    }
    out.putDelta(sample.epoch() - epoch);
    epoch = sample.epoch();
    long step = sample.seq() - seq;
    out.putDelta(step - seqStep);
    seqStep = step;
    seq = sample.seq();
    long millis = sample.time().toEpochMilli();
    step = millis - time;
    out.putDelta(step - timeStep);
    timeStep = step;
    time = millis;
    out.putDelta((long) sample.intervalMillis() - interval);
    interval = sample.intervalMillis();
    if (hasCpu) {
      long[] row = cpuRow;
      row[0] = c.busy();
      row[1] = c.user();
      row[2] = c.nice();
      row[3] = c.system();
      row[4] = c.iowait();
      row[5] = c.irq();
      row[6] = c.softirq();
      row[7] = c.steal();
      row[8] = c.idle();
      for (int core = 0; core < cores; core++) {
        row[1 + MODES + core] = c.coreBusy(core);
      }
      out.putRow(row, cpu, cpuLengths, 0, row.length, 0);
    }
    families.write(s, f, out);
    shape = s;
    noteEpochAndTime(sample.epoch(), sample.seq(), millis);
    Chunk completed = null;
    if (++openSamples == chunkSamples) {
      completed = seal();
    }
    trim();
    return completed;
  }

  private void noteEpochAndTime(long sampleEpoch, long sampleSeq, long millis) {
    if (openSamples == 0) {
      openMinTime = millis;
      openMaxTime = millis;
      openEpochCount = 0;
    } else {
      openMinTime = Math.min(openMinTime, millis);
      openMaxTime = Math.max(openMaxTime, millis);
    }
    if (openEpochCount > 0 && openEpochs[2 * openEpochCount - 2] == sampleEpoch) {
      openEpochs[2 * openEpochCount - 1] = sampleSeq;
      return;
    }
    if (2 * openEpochCount == openEpochs.length) {
      openEpochs = Arrays.copyOf(openEpochs, openEpochs.length * 2);
    }
    openEpochs[2 * openEpochCount] = sampleEpoch;
    openEpochs[2 * openEpochCount + 1] = sampleSeq;
    openEpochCount++;
  }

  /** Drops whole chunks from the front while the rest still hold {@code capacity} samples. */
  private void trim() {
    while (!sealed.isEmpty()
        && sealedSamples + openSamples - sealed.peekFirst().samples() >= capacity) {
      sealedSamples -= sealed.pollFirst().samples();
    }
  }

  /**
   * Seals the open chunk now, however few samples it holds (a checkpoint of the store, so that the
   * log behind it can go).
   *
   * @return the chunk sealed, or null if no sample was open
   */
  Chunk sealOpen() {
    return openSamples == 0 ? null : seal();
  }

  /**
   * Takes a chunk sealed by an earlier run (read back from the store), as the newest. Only before
   * any sample is appended to this history, oldest chunk first.
   */
  void adopt(Chunk chunk) {
    if (openSamples != 0) {
      throw new IllegalStateException("chunks are adopted before any sample is appended");
    }
    for (Shape s : chunk.shapes()) {
      families.cover(s);
    }
    sealed.addLast(chunk);
    sealedSamples += chunk.samples();
    trim();
    adoptedLatest = null;
    List<StoredSample> newest = last(1);
    adoptedLatest = newest.isEmpty() ? null : newest.get(0);
  }

  /** A new chunk: the differences of its first sample are taken from zeros. */
  private void restart() {
    openShapes.clear();
    epoch = 0;
    seq = 0;
    seqStep = 0;
    time = 0;
    timeStep = 0;
    interval = 0;
    Arrays.fill(cpu, 0);
    Arrays.fill(cpuLengths, (byte) 0);
    families.restart();
  }

  private Chunk seal() {
    Chunk chunk =
        new Chunk(
            open.seal(),
            openSamples,
            List.copyOf(openShapes),
            openMinTime,
            openMaxTime,
            Arrays.copyOf(openEpochs, 2 * openEpochCount));
    sealed.addLast(chunk);
    sealedSamples += openSamples;
    openSamples = 0;
    open.clear();
    return chunk;
  }

  /** Devices of each kind with an id now; for tests. */
  int trackedDevices() {
    return families.trackedDevices();
  }

  /** Samples held, including those of the oldest chunk beyond {@code capacity}; for tests. */
  int heldSamples() {
    return sealedSamples + openSamples;
  }

  /** Bits the samples held take, open chunk included; for tests. */
  long storedBits() {
    long bits = open.bits();
    for (Chunk chunk : sealed) {
      bits += 64L * chunk.bits().length;
    }
    return bits;
  }

  /** The shapes of every chunk held, whose device ids must stay. */
  private List<Shape> heldShapes() {
    List<Shape> all = new ArrayList<>(openShapes);
    for (Chunk chunk : sealed) {
      all.addAll(chunk.shapes());
    }
    return all;
  }

  /** The newest {@code n} samples (all if fewer), oldest first, as new objects. */
  List<StoredSample> last(int n) {
    int count = Math.min(Math.max(n, 0), size());
    List<StoredSample> result = new ArrayList<>(count);
    if (count == 0) {
      return result;
    }
    int skip = sealedSamples + openSamples - count;
    Cursor cursor = new Cursor(cores, families.reader());
    for (Chunk chunk : sealed) {
      if (skip >= chunk.samples()) {
        skip -= chunk.samples();
        continue;
      }
      cursor.read(chunk.bits(), chunk.shapes(), chunk.samples(), skip, result);
      skip = 0;
    }
    cursor.read(open.words(), openShapes, openSamples, skip, result);
    return result;
  }

  Optional<StoredSample> latest() {
    if (size() == 0) {
      return Optional.empty();
    }
    if (adoptedLatest != null) {
      return Optional.of(adoptedLatest);
    }
    return Optional.of(
        new StoredSample(
            epoch,
            seq,
            Instant.ofEpochMilli(time),
            interval,
            shape.cpu ? cpuFigures(cpu, cores) : null,
            families.latest(shape)));
  }

  private static CpuFigures cpuFigures(long[] c, int cores) {
    int[] perCore = new int[cores];
    for (int core = 0; core < cores; core++) {
      perCore[core] = (int) c[1 + MODES + core];
    }
    return new CpuFigures(
        (int) c[0],
        perCore,
        (int) c[1],
        (int) c[2],
        (int) c[3],
        (int) c[4],
        (int) c[5],
        (int) c[6],
        (int) c[7],
        (int) c[8]);
  }

  /** Decodes chunks for one read, mirroring what {@link #append} wrote. */
  private static final class Cursor {
    private final int cores;
    private final FamilyHistory.Reader families;
    private final long[] cpu;
    private final byte[] cpuLengths;

    Cursor(int cores, FamilyHistory.Reader families) {
      this.cores = cores;
      this.families = families;
      this.cpu = new long[1 + MODES + cores];
      this.cpuLengths = new byte[cpu.length];
    }

    /**
     * Reads a chunk's {@code samples} from its start, adding those after the first {@code skip}.
     */
    void read(long[] bits, List<Shape> shapes, int samples, int skip, List<StoredSample> out) {
      BitReader in = new BitReader(bits);
      Arrays.fill(cpu, 0);
      Arrays.fill(cpuLengths, (byte) 0);
      families.restart();
      Shape s = null;
      long epoch = 0;
      long seq = 0;
      long seqStep = 0;
      long time = 0;
      long timeStep = 0;
      int interval = 0;
      for (int k = 0; k < samples; k++) {
        if (in.read(1) == 1) {
          s = shapes.get((int) in.delta());
        }
        epoch += in.delta();
        seqStep += in.delta();
        seq += seqStep;
        timeStep += in.delta();
        time += timeStep;
        interval = (int) (interval + in.delta());
        if (s.cpu) {
          in.readRow(cpu, cpuLengths, 0, cpu.length, 0);
        }
        boolean keep = k >= skip;
        Families f = families.read(s, in, keep);
        if (keep) {
          out.add(
              new StoredSample(
                  epoch,
                  seq,
                  Instant.ofEpochMilli(time),
                  interval,
                  s.cpu ? cpuFigures(cpu, cores) : null,
                  f));
        }
      }
    }
  }
}
