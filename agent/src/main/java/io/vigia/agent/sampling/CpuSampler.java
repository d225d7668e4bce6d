package io.vigia.agent.sampling;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes CPU utilisation from the difference between two readings of the tick counters, so every
 * figure covers a real interval: the first call only takes the baseline and reports nothing, never
 * a meaningless 0 or 100 %.
 *
 * <p>If the number of processors changes, one goes offline or comes back, or a counter goes
 * backwards (hotplug, a counter reset), the reading becomes the new baseline and that round reports
 * nothing; the next one is right again. An offline processor (negative counters) reads as idle.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
public final class CpuSampler implements Sampler {

  private static final Logger log = LoggerFactory.getLogger(CpuSampler.class);

  private final CpuTicksSource source;
  private final LongSupplier nanoTicker;
  private long[][] previous;
  private long previousNanos;

  /**
   * @param source the tick counters
   * @param nanoTicker a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
   */
  public CpuSampler(CpuTicksSource source, LongSupplier nanoTicker) {
    this.source = source;
    this.nanoTicker = nanoTicker;
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void sampleInto(Sample.Builder sample) throws SamplingException {
    long[][] current;
    try {
      current = source.coreTicks();
    } catch (RuntimeException e) {
      throw new SamplingException("cannot read the CPU tick counters", e);
    }
    long nowNanos = nanoTicker.getAsLong();
    long[][] before = previous;
    long beforeNanos = previousNanos;
    previous = current;
    previousNanos = nowNanos;
    if (before == null) {
      return;
    }
    if (!continues(before, current)) {
      log.info("CPU counters were reset or the processor count changed; skipping one sample");
      return;
    }
    sample.cpu(usageBetween(before, current, Duration.ofNanos(nowNanos - beforeNanos)));
  }

  /** True when {@code after} is a later reading of the same processors as {@code before}. */
  private static boolean continues(long[][] before, long[][] after) {
    if (before.length != after.length || after.length == 0) {
      return false;
    }
    for (int core = 0; core < after.length; core++) {
      if (before[core].length < CpuMode.COUNT || after[core].length < CpuMode.COUNT) {
        return false;
      }
      if (isOffline(before[core]) != isOffline(after[core])) {
        return false; // a processor came online or went offline: its counters restart elsewhere
      }
      for (int mode = 0; mode < CpuMode.COUNT; mode++) {
        if (after[core][mode] < before[core][mode]) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A processor the source reports as offline: negative counters ({@link
   * ProcCpuTicksSource#OFFLINE}). It reads as idle while it stays offline.
   */
  private static boolean isOffline(long[] row) {
    return row[CpuMode.IDLE.ordinal()] < 0;
  }

  static CpuUsage usageBetween(long[][] before, long[][] after, Duration covered) {
    int cores = after.length;
    int[] coreBusy = new int[cores];
    long[] machine = new long[CpuMode.COUNT];
    for (int core = 0; core < cores; core++) {
      long total = 0;
      long idle = 0;
      for (CpuMode mode : CpuMode.values()) {
        long delta = after[core][mode.ordinal()] - before[core][mode.ordinal()];
        machine[mode.ordinal()] += delta;
        total += delta;
        if (mode.isIdle()) {
          idle += delta;
        }
      }
      coreBusy[core] = perMille(total - idle, total);
    }
    long machineTotal = 0;
    long machineIdle = 0;
    for (CpuMode mode : CpuMode.values()) {
      machineTotal += machine[mode.ordinal()];
      if (mode.isIdle()) {
        machineIdle += machine[mode.ordinal()];
      }
    }
    int[] modes = new int[CpuMode.COUNT];
    for (int mode = 0; mode < CpuMode.COUNT; mode++) {
      modes[mode] = perMille(machine[mode], machineTotal);
    }
    return new CpuUsage(
        perMille(machineTotal - machineIdle, machineTotal), coreBusy, modes, covered);
  }

  private static int perMille(long part, long whole) {
    return whole <= 0 ? 0 : (int) ((part * 1000 + whole / 2) / whole);
  }
}
