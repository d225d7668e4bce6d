package io.vigia.agent.sampling;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every sampler once per interval on its own thread (sampling reads files and must never run
 * on a network event loop), numbers the result and hands it to the sink.
 *
 * <p>A round right at {@link #start()} takes the samplers' baselines; the first sample follows one
 * interval later and so covers a real interval. A failing sampler is logged when it starts and
 * stops failing, and counted; the other families still go out.
 *
 * <p>Thread-safety: all rounds run on the single sampling thread; {@link #start()}, {@link
 * #sampleNow()} and {@link #close()} may be called from any thread.
 */
public final class SamplingLoop implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SamplingLoop.class);

  private final List<Sampler> samplers;
  private final Duration interval;
  private final InstantSource clock;
  private final LongSupplier nanoTicker;
  private final Consumer<Sample> sink;
  private final ScheduledExecutorService executor;
  private final AtomicLong failures = new AtomicLong();
  // Only touched on the sampling thread.
  private final Map<String, Long> failingSince = new HashMap<>();
  private boolean primed;
  private volatile long lastSeq;
  private long lastRoundNanos;

  public SamplingLoop(
      List<Sampler> samplers,
      Duration interval,
      InstantSource clock,
      LongSupplier nanoTicker,
      Consumer<Sample> sink) {
    if (samplers.isEmpty()) {
      throw new IllegalArgumentException("at least one sampler is needed");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive: " + interval);
    }
    this.samplers = List.copyOf(samplers);
    this.interval = interval;
    this.clock = clock;
    this.nanoTicker = nanoTicker;
    this.sink = sink;
    this.executor =
        Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("vigia-sampler", true));
  }

  /** Takes the baselines now and schedules a round every interval. */
  public void start() {
    executor.execute(this::round);
    long nanos = interval.toNanos();
    executor.scheduleAtFixedRate(this::round, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /** Runs one extra round now; for tests and for a sample on demand. */
  public Future<?> sampleNow() {
    return executor.submit(this::round);
  }

  /** The sequence number of the newest sample handed to the sink (0: none yet). */
  public long lastSeq() {
    return lastSeq;
  }

  /** Sampler failures since start. */
  public long failures() {
    return failures.get();
  }

  private void round() {
    long nowNanos = nanoTicker.getAsLong();
    Duration sinceLast = Duration.ofNanos(nowNanos - lastRoundNanos);
    boolean baselineRound = !primed;
    primed = true;
    lastRoundNanos = nowNanos;
    Sample.Builder builder = new Sample.Builder();
    for (Sampler sampler : samplers) {
      try {
        sampler.sampleInto(builder);
        Long since = failingSince.remove(sampler.name());
        if (since != null) {
          log.info(
              "{} sampling works again after {} failed rounds", sampler.name(), lastSeq - since);
        }
      } catch (SamplingException | RuntimeException e) {
        failures.incrementAndGet();
        if (failingSince.putIfAbsent(sampler.name(), lastSeq) == null) {
          log.warn("{} sampling failed, will retry every round: {}", sampler.name(), e.toString());
        }
      }
    }
    if (builder.isEmpty() || baselineRound) {
      return;
    }
    long seq = lastSeq + 1;
    try {
      sink.accept(builder.build(seq, clock.instant(), sinceLast));
      lastSeq = seq; // only now, so a sample the sink refused leaves no gap
    } catch (RuntimeException e) {
      log.error("Could not hand sample {} to the link", seq, e);
    }
  }

  /** Stops sampling; idempotent. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
