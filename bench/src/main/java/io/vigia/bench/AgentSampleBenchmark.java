package io.vigia.bench;

import io.vigia.agent.sampling.DeviceFilter;
import io.vigia.agent.sampling.MetricFamily;
import io.vigia.agent.sampling.OshiSamplers;
import io.vigia.agent.sampling.Sample;
import io.vigia.agent.sampling.Sampler;
import io.vigia.agent.sampling.Samplers;
import io.vigia.agent.sampling.SamplingException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import oshi.SystemInfo;
import oshi.util.GlobalConfig;

/**
 * The agent's own cost of one sampling round with the production sources: time per round, and with
 * {@code -prof gc} bytes allocated per round ({@code gc.alloc.rate.norm}). {@code source=proc} is
 * what the agent uses on Linux (the kernel's files read directly); {@code source=oshi} the OSHI
 * sources it used before and still uses elsewhere, for comparison in the same run.
 *
 * <p>OSHI caches many readings for 300 ms. The agent samples at most once a second, so it always
 * misses that cache; the benchmark turns the cache off so that every round really reads the system,
 * as in production.
 *
 * <pre>
 * scripts/bench-agent-sample                          # both sources, all families, then each alone
 * scripts/bench-agent-sample -p families=all          # both sources, all families
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AgentSampleBenchmark {

  /** "all", or one family's name ("cpu", "memory", "disk", "net"). */
  @Param({"all", "cpu", "memory", "disk", "net"})
  public String families;

  /** "proc": the agent's sources on Linux; "oshi": the OSHI ones. */
  @Param({"proc", "oshi"})
  public String source;

  private List<Sampler> samplers;

  @Setup
  public void setUp() throws SamplingException {
    GlobalConfig.set("oshi.util.memoizer.expiration", 0);
    Set<MetricFamily> chosen =
        families.equals("all")
            ? EnumSet.allOf(MetricFamily.class)
            : EnumSet.of(MetricFamily.parse(families));
    samplers =
        source.equals("oshi")
            ? OshiSamplers.onThisHost(
                new SystemInfo(),
                chosen,
                DeviceFilter.DEFAULT,
                DeviceFilter.DEFAULT,
                System::nanoTime)
            : Samplers.onThisHost(
                chosen, DeviceFilter.DEFAULT, DeviceFilter.DEFAULT, System::nanoTime);
    sampleOnce(); // baselines, and fail fast if a source does not work here
  }

  @Benchmark
  public Sample.Builder sampleOnce() throws SamplingException {
    Sample.Builder sample = new Sample.Builder();
    for (Sampler sampler : samplers) {
      sampler.sampleInto(sample);
    }
    return sample;
  }
}
