package io.vigia.agent.sampling;

/**
 * One reading of load and whole-system figures, as {@link SystemSource} gives it. Load averages are
 * negative where the operating system has none; the context switch and interrupt counters are
 * cumulative ({@code -1} where unknown).
 */
public record SystemReading(
    double load1,
    double load5,
    double load15,
    long uptimeSeconds,
    int processes,
    int threads,
    long contextSwitches,
    long interrupts) {}
