package io.vigia.collector.registry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last {@code capacity} samples of one host in a ring of primitive columns: one array per
 * field, so a sample costs a few dozen bytes and no objects, whatever the retention.
 *
 * <p>Not thread-safe: its {@link Host} guards it.
 */
final class History {

  private static final int MODES = 8;
  // In the busy column: the sample carried no CPU figures.
  private static final short NO_CPU = -1;

  private final int capacity;
  private final int cores;
  private final long[] epoch;
  private final long[] seq;
  private final long[] timeMillis;
  private final int[] intervalMillis;
  private final short[] busy;
  // MODES values per sample: user, nice, system, iowait, irq, softirq, steal, idle.
  private final short[] modes;
  // `cores` values per sample.
  private final short[] coreBusy;
  private final FamilyHistory families;
  private int next;
  private int size;

  History(int capacity, int cores) {
    if (capacity < 1) {
      throw new IllegalArgumentException("history capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.cores = cores;
    this.epoch = new long[capacity];
    this.seq = new long[capacity];
    this.timeMillis = new long[capacity];
    this.intervalMillis = new int[capacity];
    this.busy = new short[capacity];
    this.modes = new short[capacity * MODES];
    this.coreBusy = new short[Math.multiplyExact(capacity, cores)];
    this.families = new FamilyHistory(capacity);
  }

  int cores() {
    return cores;
  }

  int size() {
    return size;
  }

  /** Adds a sample, overwriting the oldest once full. */
  void append(StoredSample sample) {
    CpuFigures cpu = sample.cpu();
    if (cpu != null && cpu.cores() != cores) {
      throw new IllegalArgumentException(
          "sample has " + cpu.cores() + " cores, this history " + cores);
    }
    int i = next;
    epoch[i] = sample.epoch();
    seq[i] = sample.seq();
    timeMillis[i] = sample.time().toEpochMilli();
    intervalMillis[i] = sample.intervalMillis();
    families.write(i, sample.families());
    if (cpu == null) {
      busy[i] = NO_CPU;
      next = (next + 1) % capacity;
      size = Math.min(size + 1, capacity);
      return;
    }
    busy[i] = (short) cpu.busy();
    int m = i * MODES;
    modes[m] = (short) cpu.user();
    modes[m + 1] = (short) cpu.nice();
    modes[m + 2] = (short) cpu.system();
    modes[m + 3] = (short) cpu.iowait();
    modes[m + 4] = (short) cpu.irq();
    modes[m + 5] = (short) cpu.softirq();
    modes[m + 6] = (short) cpu.steal();
    modes[m + 7] = (short) cpu.idle();
    for (int core = 0; core < cores; core++) {
      coreBusy[i * cores + core] = (short) cpu.coreBusy(core);
    }
    next = (next + 1) % capacity;
    size = Math.min(size + 1, capacity);
  }

  /** The newest {@code n} samples (all if fewer), oldest first, as new objects. */
  List<StoredSample> last(int n) {
    int count = Math.min(Math.max(n, 0), size);
    List<StoredSample> result = new ArrayList<>(count);
    for (int k = count; k >= 1; k--) {
      result.add(read(Math.floorMod(next - k, capacity)));
    }
    return result;
  }

  Optional<StoredSample> latest() {
    return size == 0 ? Optional.empty() : Optional.of(read(Math.floorMod(next - 1, capacity)));
  }

  private StoredSample read(int i) {
    if (busy[i] == NO_CPU) {
      return new StoredSample(
          epoch[i],
          seq[i],
          Instant.ofEpochMilli(timeMillis[i]),
          intervalMillis[i],
          null,
          families.read(i));
    }
    int[] perCore = new int[cores];
    for (int core = 0; core < cores; core++) {
      perCore[core] = coreBusy[i * cores + core];
    }
    int m = i * MODES;
    CpuFigures cpu =
        new CpuFigures(
            busy[i],
            perCore,
            modes[m],
            modes[m + 1],
            modes[m + 2],
            modes[m + 3],
            modes[m + 4],
            modes[m + 5],
            modes[m + 6],
            modes[m + 7]);
    return new StoredSample(
        epoch[i],
        seq[i],
        Instant.ofEpochMilli(timeMillis[i]),
        intervalMillis[i],
        cpu,
        families.read(i));
  }
}
