package io.vigia.agent.sampling;

/**
 * Load and whole-system figures of a sample, in the wire's units: load averages and event rates in
 * hundredths (a load of 1.25 is 125; 40.5 context switches per second is 4050). {@code -1} marks a
 * figure that is unknown this time.
 */
public record SystemLoad(
    int load1X100,
    int load5X100,
    int load15X100,
    long uptimeSeconds,
    int processes,
    int threads,
    long contextSwitchesX100,
    long interruptsX100) {}
