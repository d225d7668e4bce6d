package io.vigia.agent.sampling;

/** A sampler could not read its figures this time; the next attempt may succeed. */
public final class SamplingException extends Exception {

  private static final long serialVersionUID = 1L;

  public SamplingException(String message, Throwable cause) {
    super(message, cause);
  }
}
