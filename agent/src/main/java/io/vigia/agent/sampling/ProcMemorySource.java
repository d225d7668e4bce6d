package io.vigia.agent.sampling;

import java.nio.charset.StandardCharsets;

/**
 * Reads memory and swap from {@code /proc/meminfo} and swap paging from {@code /proc/vmstat}
 * (Linux), with the meanings OSHI gives them: available is the kernel's MemAvailable estimate, swap
 * used is SwapTotal minus SwapFree, paging counts pages.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
final class ProcMemorySource implements MemorySource {

  private static final byte[] MEM_TOTAL = ascii("MemTotal:");
  private static final byte[] MEM_FREE = ascii("MemFree:");
  private static final byte[] MEM_AVAILABLE = ascii("MemAvailable:");
  private static final byte[] BUFFERS = ascii("Buffers:");
  private static final byte[] CACHED = ascii("Cached:");
  private static final byte[] SWAP_TOTAL = ascii("SwapTotal:");
  private static final byte[] SWAP_FREE = ascii("SwapFree:");
  private static final byte[] KB = ascii("kB");
  private static final byte[] PSWPIN = ascii("pswpin ");
  private static final byte[] PSWPOUT = ascii("pswpout ");

  private final ProcFile meminfo;
  private final ProcFile vmstat;
  private final ProcText text = new ProcText();

  /**
   * @param procRoot "" for the real machine, or a folder that mimics it (tests)
   */
  ProcMemorySource(String procRoot) {
    this.meminfo = new ProcFile(procRoot + "/proc/meminfo", 8192);
    this.vmstat = new ProcFile(procRoot + "/proc/vmstat", 8192);
  }

  @Override
  public MemoryReading read() {
    long[] paging = paging(vmstat.read(text));
    return meminfo(meminfo.read(text), paging[0], paging[1]);
  }

  /** The reading from a {@code /proc/meminfo} text and the two paging counters. */
  static MemoryReading meminfo(ProcText text, long swapPagesIn, long swapPagesOut) {
    long total = -1;
    long free = -1;
    long available = -1;
    long buffers = -1;
    long cached = -1;
    long swapTotal = -1;
    long swapFree = -1;
    while (!text.atEnd()) {
      if (text.consume(MEM_TOTAL)) {
        total = bytes(text);
      } else if (text.consume(MEM_FREE)) {
        free = bytes(text);
      } else if (text.consume(MEM_AVAILABLE)) {
        available = bytes(text);
      } else if (text.consume(BUFFERS)) {
        buffers = bytes(text);
      } else if (text.consume(CACHED)) {
        cached = bytes(text);
      } else if (text.consume(SWAP_TOTAL)) {
        swapTotal = bytes(text);
      } else if (text.consume(SWAP_FREE)) {
        swapFree = bytes(text);
      }
      text.nextLine();
    }
    if (available < 0 && free >= 0) {
      // Kernels before 3.14 have no MemAvailable: free plus what the page cache could give back.
      available = free + Math.max(0, cached) + Math.max(0, buffers);
    }
    long swapUsed = swapTotal >= 0 && swapFree >= 0 ? Math.max(0, swapTotal - swapFree) : -1;
    return new MemoryReading(
        total, available, cached, buffers, swapTotal, swapUsed, swapPagesIn, swapPagesOut);
  }

  /** pswpin and pswpout from a {@code /proc/vmstat} text; -1 where missing. */
  static long[] paging(ProcText text) {
    long in = -1;
    long out = -1;
    while (!text.atEnd() && (in < 0 || out < 0)) {
      if (text.consume(PSWPIN)) {
        in = text.nextLong();
      } else if (text.consume(PSWPOUT)) {
        out = text.nextLong();
      }
      text.nextLine();
    }
    return new long[] {in, out};
  }

  /** A meminfo value in bytes: the number, times 1024 when it is followed by "kB". */
  private static long bytes(ProcText text) {
    long value = text.nextLong();
    text.skipBlanks();
    return value >= 0 && text.startsWith(KB) ? value * 1024 : value;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
