package io.vigia.agent.sampling;

import java.util.Arrays;

/**
 * Reads per-processor tick counters from {@code /proc/stat} (Linux), in milliseconds like OSHI.
 *
 * <p>Row {@code i} is processor {@code i} as the kernel numbers it ("cpu12" is row 12), so a
 * processor that goes offline (its line disappears) does not shift the others: its row reads {@link
 * #OFFLINE} in every column, and the {@link CpuSampler} restarts its baseline when a processor
 * comes or goes. The row count is the number of processors present at start, or more if a higher
 * number shows up later (a hot-added one).
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
final class ProcCpuTicksSource implements CpuTicksSource {

  /** The value of every counter of a processor that is offline. */
  static final long OFFLINE = -1;

  /**
   * Ticks per second of {@code /proc/stat}: USER_HZ, which the kernel fixes at 100 for user space
   * on every architecture Java runs on (it is not the kernel's internal HZ).
   */
  private static final long MILLIS_PER_TICK = 10;

  private static final byte[] CPU = {'c', 'p', 'u'};
  private static final byte[] INTR = {'i', 'n', 't', 'r'};

  private final ProcFile stat;
  private final ProcText text = new ProcText();
  private int rows;

  /**
   * @param procRoot "" for the real machine, or a folder that mimics it (tests)
   * @param present processors present at start (rows of every reading, at least)
   */
  ProcCpuTicksSource(String procRoot, int present) {
    this(new ProcFile(procRoot + "/proc/stat", 8192), present);
  }

  /**
   * @param stat {@code /proc/stat}, shared with the {@link ProcSystemSource} of the same rounds
   */
  ProcCpuTicksSource(ProcFile stat, int present) {
    this.stat = stat;
    this.rows = present;
  }

  @Override
  public long[][] coreTicks() {
    // Always fresh: a sample taken on demand right after a scheduled one must see new counters.
    long[][] ticks = parse(stat.read(text), rows);
    rows = ticks.length;
    return ticks;
  }

  /**
   * The per-processor lines of a {@code /proc/stat} text, in milliseconds; at least {@code rows}
   * rows, rows of processors without a line filled with {@link #OFFLINE}.
   */
  static long[][] parse(ProcText text, int rows) {
    long[][] ticks = new long[Math.max(rows, 1)][];
    while (!text.atEnd()) {
      if (text.consume(CPU) && text.atDigit()) {
        int cpu = (int) Math.min(Integer.MAX_VALUE - 1, text.nextLong());
        if (cpu >= ticks.length) {
          ticks = Arrays.copyOf(ticks, cpu + 1);
        }
        long[] row = new long[CpuMode.COUNT];
        // Columns in CpuMode order; guest and guest_nice follow, but user and nice include them.
        for (int mode = 0; mode < CpuMode.COUNT; mode++) {
          long value = text.atLineEnd() ? 0 : text.nextLong();
          row[mode] = value < 0 ? 0 : value * MILLIS_PER_TICK;
        }
        ticks[cpu] = row;
      } else if (text.startsWith(INTR)) {
        break; // the per-processor lines come first; the long interrupt line and the rest do not
      }
      text.nextLine();
    }
    for (int cpu = 0; cpu < ticks.length; cpu++) {
      if (ticks[cpu] == null) {
        ticks[cpu] = new long[CpuMode.COUNT];
        Arrays.fill(ticks[cpu], OFFLINE);
      }
    }
    return ticks;
  }
}
