package io.vigia.it;

import io.vigia.agent.sampling.CpuMode;
import io.vigia.agent.sampling.CpuUsage;
import io.vigia.agent.sampling.Sample;
import io.vigia.agent.sampling.Sampler;
import java.time.Duration;

/**
 * A CPU sampler with known values: core {@code i} is {@code base + i} per mille busy and the whole
 * machine {@code base}, so a test can recognise every agent's samples at the collector.
 */
final class SyntheticCpuSampler implements Sampler {

  private final int cores;
  private final int base;

  SyntheticCpuSampler(int cores, int base) {
    this.cores = cores;
    this.base = base;
  }

  @Override
  public String name() {
    return "cpu";
  }

  @Override
  public void sampleInto(Sample.Builder sample) {
    int[] perCore = new int[cores];
    for (int core = 0; core < cores; core++) {
      perCore[core] = base + core;
    }
    int[] modes = new int[CpuMode.values().length];
    modes[CpuMode.USER.ordinal()] = base;
    modes[CpuMode.IDLE.ordinal()] = 1000 - base;
    sample.cpu(new CpuUsage(base, perCore, modes, Duration.ofSeconds(1)));
  }
}
