package io.vigia.agent.sampling;

/** Reads load averages and whole-system counters; production wraps OSHI. */
public interface SystemSource {

  SystemReading read();
}
