package io.vigia.agent.sampling;

/** Reads memory and swap figures; production wraps OSHI, tests return canned readings. */
public interface MemorySource {

  MemoryReading read();
}
