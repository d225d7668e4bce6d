package io.vigia.agent.sampling;

/**
 * Memory and swap at the moment of a sample, in the wire's units: sizes in bytes, swap paging in
 * hundredths of a page per second. {@code -1} ({@link CounterRates#UNKNOWN}) marks a figure the
 * operating system does not give or a rate with no valid interval behind it.
 */
public record MemoryUsage(
    long totalBytes,
    long availableBytes,
    long cachedBytes,
    long buffersBytes,
    long swapTotalBytes,
    long swapUsedBytes,
    long swapInPagesX100,
    long swapOutPagesX100) {

  public MemoryUsage {
    if (totalBytes < 0 || availableBytes < 0 || swapTotalBytes < 0 || swapUsedBytes < 0) {
      throw new IllegalArgumentException("memory sizes must not be negative");
    }
  }
}
