package io.vigia.agent.sampling;

import oshi.hardware.CentralProcessor;
import oshi.software.os.OperatingSystem;

/** Reads load averages, uptime, process and thread counts and scheduler counters through OSHI. */
public final class OshiSystemSource implements SystemSource {

  private final CentralProcessor processor;
  private final OperatingSystem os;

  public OshiSystemSource(CentralProcessor processor, OperatingSystem os) {
    this.processor = processor;
    this.os = os;
  }

  @Override
  public SystemReading read() {
    double[] load = processor.getSystemLoadAverage(3);
    return new SystemReading(
        load[0],
        load[1],
        load[2],
        os.getSystemUptime(),
        os.getProcessCount(),
        os.getThreadCount(),
        processor.getContextSwitches(),
        processor.getInterrupts());
  }
}
