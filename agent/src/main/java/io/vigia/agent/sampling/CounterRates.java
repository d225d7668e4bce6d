package io.vigia.agent.sampling;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns cumulative counters into per-second rates, per device (or per anything with a name), from
 * the difference between two readings over the real time between them.
 *
 * <p>A counter with no earlier reading (a device seen for the first time) or one that went
 * backwards (a reset, a wrap, a device replaced under the same name) yields {@link #UNKNOWN} for
 * that interval and that counter only; its new value becomes the baseline, so the next interval is
 * right again. Devices missing from a round are forgotten at {@link #endRound()}, so a device that
 * comes back starts from a fresh baseline instead of a delta across its absence.
 *
 * <p>Usage, once per sampling round:
 *
 * <pre>{@code
 * rates.beginRound(System.nanoTime());
 * for (device : devices) rates.update(device.name(), device.counters(), out);
 * rates.endRound();
 * }</pre>
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
final class CounterRates {

  /** The rate of a counter that has no valid earlier reading this interval. */
  static final long UNKNOWN = -1;

  private final int width;
  private final long[] scales;
  private final Map<String, Reading> previous = new HashMap<>();
  private long round;
  private long nowNanos;

  private static final class Reading {
    final long[] counters;
    long nanos;
    long round;

    Reading(int width) {
      this.counters = new long[width];
    }
  }

  /**
   * @param scales one per counter: the rate is multiplied by it, so 1 gives units per second and
   *     100 gives hundredths of a unit per second
   */
  CounterRates(long... scales) {
    if (scales.length == 0) {
      throw new IllegalArgumentException("at least one counter is needed");
    }
    this.width = scales.length;
    this.scales = scales.clone();
  }

  /** Starts a round whose readings are all taken at {@code nowNanos} (a monotonic clock). */
  void beginRound(long nowNanos) {
    this.round++;
    this.nowNanos = nowNanos;
  }

  /**
   * Records {@code counters} for {@code key} and writes the rate of each into {@code rates}.
   *
   * @return true if at least one rate is known
   */
  boolean update(String key, long[] counters, long[] rates) {
    if (counters.length != width || rates.length != width) {
      throw new IllegalArgumentException("expected " + width + " counters, got " + counters.length);
    }
    Reading before = previous.get(key);
    boolean any = false;
    if (before == null || before.round == round) {
      // First sight (or the same key twice in a round): nothing to compare with.
      Arrays.fill(rates, UNKNOWN);
      if (before == null) {
        before = new Reading(width);
        previous.put(key, before);
      }
    } else {
      long elapsed = nowNanos - before.nanos;
      for (int c = 0; c < width; c++) {
        rates[c] = rate(before.counters[c], counters[c], elapsed, scales[c]);
        any |= rates[c] != UNKNOWN;
      }
    }
    System.arraycopy(counters, 0, before.counters, 0, width);
    before.nanos = nowNanos;
    before.round = round;
    return any;
  }

  /** Forgets every key that was not updated in this round. */
  void endRound() {
    previous.values().removeIf(reading -> reading.round != round);
  }

  /** Keys with a baseline; for tests. */
  int tracked() {
    return previous.size();
  }

  /**
   * The scaled per-second rate between two readings of one counter, rounded to the nearest unit;
   * {@link #UNKNOWN} if the counter went backwards, either reading is unknown (negative) or no time
   * passed.
   */
  static long rate(long before, long after, long elapsedNanos, long scale) {
    if (elapsedNanos <= 0 || before < 0 || after < before) {
      return UNKNOWN;
    }
    double perSecond = (double) (after - before) * 1e9 / elapsedNanos;
    return Math.round(perSecond * scale);
  }
}
