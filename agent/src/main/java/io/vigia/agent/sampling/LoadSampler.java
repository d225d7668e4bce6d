package io.vigia.agent.sampling;

import java.util.function.LongSupplier;

/**
 * Samples load averages, uptime, process and thread counts as they are now, and context switches
 * and interrupts as rates over the real time since the previous reading (from the second call on).
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
public final class LoadSampler implements Sampler {

  private static final String SYSTEM = "system";

  private final SystemSource source;
  private final LongSupplier nanoTicker;
  private final CounterRates events = new CounterRates(100, 100);
  private final long[] counters = new long[2];
  private final long[] rates = new long[2];

  /**
   * @param nanoTicker a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
   */
  public LoadSampler(SystemSource source, LongSupplier nanoTicker) {
    this.source = source;
    this.nanoTicker = nanoTicker;
  }

  @Override
  public String name() {
    return "load";
  }

  @Override
  public void sampleInto(Sample.Builder sample) throws SamplingException {
    SystemReading reading;
    try {
      reading = source.read();
    } catch (RuntimeException e) {
      throw new SamplingException("cannot read the load and system figures", e);
    }
    events.beginRound(nanoTicker.getAsLong());
    counters[0] = reading.contextSwitches();
    counters[1] = reading.interrupts();
    events.update(SYSTEM, counters, rates);
    events.endRound();
    sample.load(
        new SystemLoad(
            hundredths(reading.load1()),
            hundredths(reading.load5()),
            hundredths(reading.load15()),
            Math.max(0, reading.uptimeSeconds()),
            Math.max(0, reading.processes()),
            Math.max(0, reading.threads()),
            rates[0],
            rates[1]));
  }

  /** A load average in hundredths, or -1 where there is none (OSHI gives a negative value). */
  static int hundredths(double load) {
    if (!(load >= 0)) {
      return -1;
    }
    return (int) Math.min(Integer.MAX_VALUE, Math.round(load * 100));
  }
}
