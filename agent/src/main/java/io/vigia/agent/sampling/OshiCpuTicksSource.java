package io.vigia.agent.sampling;

import oshi.hardware.CentralProcessor;

/** Reads per-processor tick counters through OSHI (on Linux, {@code /proc/stat}). */
public final class OshiCpuTicksSource implements CpuTicksSource {

  private final CentralProcessor processor;

  public OshiCpuTicksSource(CentralProcessor processor) {
    this.processor = processor;
    if (CentralProcessor.TickType.values().length != CpuMode.COUNT) {
      throw new IllegalStateException(
          "OSHI tick types do not match CpuMode: this OSHI is unsupported");
    }
  }

  @Override
  public long[][] coreTicks() {
    return processor.getProcessorCpuLoadTicks();
  }
}
