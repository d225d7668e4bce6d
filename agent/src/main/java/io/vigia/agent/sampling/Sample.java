package io.vigia.agent.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One numbered sample of the host, as the agent sends it.
 *
 * @param seq the position in this agent run's stream, from 1, without gaps
 * @param time when the sample was taken (the end of its interval)
 * @param interval the real time since the previous sampling round
 * @param cpu CPU utilisation, or null when the CPU family had nothing to report
 */
public record Sample(long seq, Instant time, Duration interval, CpuUsage cpu) {

  public Sample {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must start at 1: " + seq);
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(interval, "interval");
  }

  public Optional<CpuUsage> cpuUsage() {
    return Optional.ofNullable(cpu);
  }

  /** Collects the families of one sampling round; numbered once it holds something. */
  public static final class Builder {
    private CpuUsage cpu;

    public Builder cpu(CpuUsage usage) {
      this.cpu = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /** True when no sampler added anything, so there is nothing to send this round. */
    public boolean isEmpty() {
      return cpu == null;
    }

    Sample build(long seq, Instant time, Duration interval) {
      return new Sample(seq, time, interval, cpu);
    }
  }
}
