package io.vigia.collector.registry;

/**
 * Load and whole-system figures of one sample: load averages and event rates in hundredths (a load
 * of 1.25 is 125). {@code -1} marks what the agent did not report.
 */
public record SystemFigures(
    int load1X100,
    int load5X100,
    int load15X100,
    long uptimeSeconds,
    int processes,
    int threads,
    long contextSwitchesX100,
    long interruptsX100) {}
