package io.vigia.collector.registry;

/**
 * Memory and swap of one sample: sizes in bytes, swap paging in hundredths of a page per second.
 * {@code -1} marks what the agent did not report (cache and buffers on systems without them, a rate
 * with no valid interval behind it).
 */
public record MemoryFigures(
    long totalBytes,
    long availableBytes,
    long cachedBytes,
    long buffersBytes,
    long swapTotalBytes,
    long swapUsedBytes,
    long swapInPagesX100,
    long swapOutPagesX100) {

  public MemoryFigures {
    if (totalBytes < 0 || availableBytes < 0 || swapTotalBytes < 0 || swapUsedBytes < 0) {
      throw new IllegalArgumentException("memory sizes must not be negative");
    }
    if (availableBytes > totalBytes) {
      throw new IllegalArgumentException(
          "available memory (" + availableBytes + ") exceeds the total (" + totalBytes + ")");
    }
  }

  /** What is in use: everything that is not available. */
  public long usedBytes() {
    return totalBytes - availableBytes;
  }
}
