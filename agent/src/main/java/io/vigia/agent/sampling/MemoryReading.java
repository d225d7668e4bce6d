package io.vigia.agent.sampling;

/**
 * One reading of memory and swap, as {@link MemorySource} gives it. Sizes are in bytes; the swap
 * page counters are cumulative. {@code -1} marks what this operating system does not report.
 */
public record MemoryReading(
    long totalBytes,
    long availableBytes,
    long cachedBytes,
    long buffersBytes,
    long swapTotalBytes,
    long swapUsedBytes,
    long swapPagesIn,
    long swapPagesOut) {}
