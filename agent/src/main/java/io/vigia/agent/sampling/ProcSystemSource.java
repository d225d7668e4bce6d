package io.vigia.agent.sampling;

import java.io.File;
import java.util.function.LongSupplier;

/**
 * Reads load averages and thread count ({@code /proc/loadavg}), uptime ({@code /proc/uptime}),
 * context switches and interrupts ({@code /proc/stat}) and the number of processes (the numbered
 * folders of {@code /proc}, counted every {@link #PROCESS_COUNT_NANOS} at most) on Linux.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
final class ProcSystemSource implements SystemSource {

  /**
   * A {@code /proc/stat} the CPU sampler read this recently is the one of this round (it runs just
   * before; the interval is at least 1 s): its content serves here too.
   */
  static final long SAME_ROUND_NANOS = 200_000_000L;

  /**
   * How long a process count stands before {@code /proc} is listed again. Listing it walks every
   * process in the kernel: a fifth of a 1 s agent's sampling cost with 120 processes (perf, {@code
   * proc_pid_readdir}), and it grows with their number, while the count itself moves slowly.
   */
  static final long PROCESS_COUNT_NANOS = 10_000_000_000L;

  private static final byte[] CTXT = {'c', 't', 'x', 't', ' '};
  private static final byte[] INTR = {'i', 'n', 't', 'r', ' '};

  private final ProcFile loadavg;
  private final ProcFile uptime;
  private final ProcFile stat;
  private final File proc;
  private final ProcText text = new ProcText();
  private final LongSupplier nanoTicker;
  private int processes;
  private long processesCountedAt;
  private boolean counted;

  /**
   * @param procRoot "" for the real machine, or a folder that mimics it (tests)
   */
  ProcSystemSource(String procRoot) {
    this(procRoot, new ProcFile(procRoot + "/proc/stat", 8192));
  }

  /**
   * @param stat {@code /proc/stat}, shared with the {@link ProcCpuTicksSource} of the same rounds
   */
  ProcSystemSource(String procRoot, ProcFile stat) {
    this(procRoot, stat, System::nanoTime);
  }

  /**
   * @param nanoTicker a monotonic clock, for when to count processes again
   */
  ProcSystemSource(String procRoot, ProcFile stat, LongSupplier nanoTicker) {
    this.nanoTicker = nanoTicker;
    this.loadavg = new ProcFile(procRoot + "/proc/loadavg", 128);
    this.uptime = new ProcFile(procRoot + "/proc/uptime", 128);
    this.stat = stat;
    this.proc = new File(procRoot + "/proc");
  }

  @Override
  public SystemReading read() {
    ProcText load = loadavg.read(text);
    double load1 = load.nextDecimal();
    double load5 = load.nextDecimal();
    double load15 = load.nextDecimal();
    int threads = threads(load);
    long up = uptime.read(text).nextLong();
    long[] counters = schedulerCounters(stat.readShared(text, SAME_ROUND_NANOS));
    return new SystemReading(
        load1, load5, load15, up, processes(), threads, counters[0], counters[1]);
  }

  /** The process count, listed again when the last count is {@link #PROCESS_COUNT_NANOS} old. */
  private int processes() {
    long now = nanoTicker.getAsLong();
    if (!counted || now - processesCountedAt >= PROCESS_COUNT_NANOS) {
      processes = processes(proc.list());
      processesCountedAt = now;
      counted = true;
    }
    return processes;
  }

  /**
   * The total of "running/total" in {@code /proc/loadavg}, positioned after the three averages: the
   * kernel's count of threads (scheduling entities), -1 if missing.
   */
  static int threads(ProcText loadavgAfterAverages) {
    loadavgAfterAverages.skipBlanks();
    if (!loadavgAfterAverages.skipPast('/')) {
      return -1;
    }
    return (int) Math.min(Integer.MAX_VALUE, loadavgAfterAverages.nextLong());
  }

  /** Context switches and interrupts since boot from a {@code /proc/stat} text; -1 if missing. */
  static long[] schedulerCounters(ProcText stat) {
    long ctxt = -1;
    long intr = -1;
    while (!stat.atEnd() && (ctxt < 0 || intr < 0)) {
      if (stat.consume(CTXT)) {
        ctxt = stat.nextLong();
      } else if (stat.consume(INTR)) {
        intr = stat.nextLong(); // the total; the per-source counts follow on the same line
      }
      stat.nextLine();
    }
    return new long[] {ctxt, intr};
  }

  /** The number of processes: the entries of a {@code /proc} listing that are numbers. */
  static int processes(String[] procEntries) {
    if (procEntries == null) {
      return -1;
    }
    int count = 0;
    for (String entry : procEntries) {
      if (!entry.isEmpty() && entry.charAt(0) >= '0' && entry.charAt(0) <= '9') {
        count++;
      }
    }
    return count;
  }
}
