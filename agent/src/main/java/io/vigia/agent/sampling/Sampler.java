package io.vigia.agent.sampling;

/**
 * Samples one metric family into the snapshot being built. One sampler per family (CPU, memory,
 * load, disks with their file systems, network), so one failing family never stops the others.
 */
public interface Sampler {

  /** The family's name, for logs and counters: {@code "cpu"}. */
  String name();

  /**
   * Adds this family's figures to {@code sample}, or nothing when there is no complete interval to
   * report yet (the first call, or after a counter reset).
   *
   * @throws SamplingException if the figures cannot be read
   */
  void sampleInto(Sample.Builder sample) throws SamplingException;
}
