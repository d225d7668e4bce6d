package io.vigia.bench.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from /proc (Linux). */
record ProcStat(long cpuTicks, long rssKib, long nanoTime) {

  /** Clock ticks per second of /proc/PID/stat; 100 on every Linux this runs on. */
  static final int TICKS_PER_SECOND = 100;

  /** Reads it now, or null if the process is gone or this is not Linux. */
  static ProcStat read(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // The command name may hold spaces; the fields after its closing parenthesis do not.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime
      long rss = 0;
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      return new ProcStat(ticks, rss, System.nanoTime());
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Percent of one core used between {@code earlier} and this reading. */
  double cpuPercentSince(ProcStat earlier) {
    double seconds = (nanoTime - earlier.nanoTime) / 1e9;
    double cpuSeconds = (cpuTicks - earlier.cpuTicks) / (double) TICKS_PER_SECOND;
    return seconds <= 0 ? 0 : 100 * cpuSeconds / seconds;
  }
}
