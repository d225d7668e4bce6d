package io.vigia.collector.store;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long the log's fsyncs took, in the buckets of a Prometheus histogram.
 *
 * <p>Thread-safety: one writer (the committer), any number of readers; a reader may see a count a
 * moment ahead of its sum, never a torn value.
 */
public final class FsyncTimes {

  /** Upper bounds of the buckets, in seconds; the last bucket is everything above. */
  public static final double[] BOUNDS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10
  };

  // [0..BOUNDS.length] bucket counts (not cumulative), then the count, the sum in nanos, the max.
  private final AtomicLongArray cells = new AtomicLongArray(BOUNDS.length + 4);

  void observe(long nanos) {
    double seconds = nanos / 1e9;
    int bucket = 0;
    while (bucket < BOUNDS.length && seconds > BOUNDS[bucket]) {
      bucket++;
    }
    cells.incrementAndGet(bucket);
    int base = BOUNDS.length + 1;
    cells.incrementAndGet(base);
    cells.addAndGet(base + 1, nanos);
    if (nanos > cells.get(base + 2)) {
      cells.set(base + 2, nanos);
    }
  }

  Snapshot snapshot() {
    long[] buckets = new long[BOUNDS.length + 1];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = cells.get(i);
    }
    int base = BOUNDS.length + 1;
    return new Snapshot(
        buckets, cells.get(base), cells.get(base + 1) / 1e9, cells.get(base + 2) / 1e9);
  }

  /**
   * The figures at one moment.
   *
   * @param buckets how many fell in each bucket of {@link #BOUNDS} (not cumulative), the last one
   *     above every bound
   * @param maxSeconds the longest since start
   */
  public record Snapshot(long[] buckets, long count, double sumSeconds, double maxSeconds) {
    public static final Snapshot NONE = new Snapshot(new long[BOUNDS.length + 1], 0, 0, 0);
  }
}
