package io.vigia.agent.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Samples the network family: per interface the filter accepts (loopback only when asked for), link
 * state and the rates of bytes, packets, errors and drops each way over the real time since the
 * previous reading.
 *
 * <p>An interface seen for the first time reports no rates this round; a counter that went
 * backwards (a driver reset, a 32-bit counter wrapping) skips that interval for that counter only;
 * an interface that vanished is forgotten, and starts afresh if it comes back.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
public final class NetworkSampler implements Sampler {

  private final InterfaceSource source;
  private final DeviceFilter filter;
  private final LongSupplier nanoTicker;
  private final CounterRates traffic = new CounterRates(1, 1, 100, 100, 100, 100, 100, 100);
  private final long[] counters = new long[8];
  private final long[] rates = new long[8];

  /**
   * @param filter which interfaces to report
   * @param nanoTicker a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
   */
  public NetworkSampler(InterfaceSource source, DeviceFilter filter, LongSupplier nanoTicker) {
    this.source = source;
    this.filter = filter;
    this.nanoTicker = nanoTicker;
  }

  @Override
  public String name() {
    return "net";
  }

  @Override
  public void sampleInto(Sample.Builder sample) throws SamplingException {
    List<InterfaceReading> all;
    try {
      all = source.interfaces();
    } catch (RuntimeException e) {
      throw new SamplingException("cannot read the network interface counters", e);
    }
    traffic.beginRound(nanoTicker.getAsLong());
    List<InterfaceIo> shown = new ArrayList<>(all.size());
    for (InterfaceReading nic : all) {
      if (!filter.accepts(nic.name(), nic.loopback())) {
        continue;
      }
      counters[0] = nic.rxBytes();
      counters[1] = nic.txBytes();
      counters[2] = nic.rxPackets();
      counters[3] = nic.txPackets();
      counters[4] = nic.rxErrors();
      counters[5] = nic.txErrors();
      counters[6] = nic.rxDrops();
      counters[7] = nic.txDrops();
      traffic.update(nic.name(), counters, rates);
      shown.add(
          new InterfaceIo(
              nic.name(),
              nic.up(),
              rates[0],
              rates[1],
              rates[2],
              rates[3],
              rates[4],
              rates[5],
              rates[6],
              rates[7]));
    }
    traffic.endRound();
    sample.interfaces(shown);
  }
}
