package io.vigia.agent.sampling;

/**
 * Cumulative CPU time counters per logical processor, as the operating system keeps them.
 *
 * <p>Row {@code i} holds processor {@code i}'s counters, indexed by {@link CpuMode#ordinal()}.
 * Production wraps OSHI ({@link OshiCpuTicksSource}); tests return canned arrays.
 */
public interface CpuTicksSource {

  /** Reads the counters now. The caller owns the returned arrays. */
  long[][] coreTicks();
}
