package io.vigia.agent.sampling;

/**
 * The CPU time modes the agent reports, in the order of OSHI's {@code CentralProcessor.TickType}
 * (and of the columns of Linux's {@code /proc/stat}).
 */
public enum CpuMode {
  USER,
  NICE,
  SYSTEM,
  IDLE,
  IOWAIT,
  IRQ,
  SOFTIRQ,
  STEAL;

  static final int COUNT = values().length;

  /** Idle and waiting for I/O: the modes in which a processor does no work. */
  boolean isIdle() {
    return this == IDLE || this == IOWAIT;
  }
}
