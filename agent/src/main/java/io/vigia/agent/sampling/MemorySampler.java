package io.vigia.agent.sampling;

import java.util.function.LongSupplier;

/**
 * Samples memory and swap: sizes as they are now, swap paging as rates over the real time since the
 * previous reading. Reports sizes from the first call on; the paging rates only from the second.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
public final class MemorySampler implements Sampler {

  private static final String SWAP = "swap";

  private final MemorySource source;
  private final LongSupplier nanoTicker;
  private final CounterRates paging = new CounterRates(100, 100);
  private final long[] counters = new long[2];
  private final long[] rates = new long[2];

  /**
   * @param nanoTicker a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
   */
  public MemorySampler(MemorySource source, LongSupplier nanoTicker) {
    this.source = source;
    this.nanoTicker = nanoTicker;
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public void sampleInto(Sample.Builder sample) throws SamplingException {
    MemoryReading reading;
    try {
      reading = source.read();
    } catch (RuntimeException e) {
      throw new SamplingException("cannot read the memory figures", e);
    }
    paging.beginRound(nanoTicker.getAsLong());
    counters[0] = reading.swapPagesIn();
    counters[1] = reading.swapPagesOut();
    paging.update(SWAP, counters, rates);
    paging.endRound();
    long total = Math.max(0, reading.totalBytes());
    sample.memory(
        new MemoryUsage(
            total,
            Math.min(total, Math.max(0, reading.availableBytes())),
            reading.cachedBytes(),
            reading.buffersBytes(),
            Math.max(0, reading.swapTotalBytes()),
            Math.max(0, reading.swapUsedBytes()),
            rates[0],
            rates[1]));
  }
}
