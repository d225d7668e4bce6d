package io.vigia.agent.sampling;

import java.util.Objects;

/**
 * Cumulative traffic counters of one network interface ({@code /proc/net/dev}); {@code -1} for a
 * counter this system does not keep.
 *
 * @param up operationally up
 * @param loopback a loopback interface, skipped unless asked for
 */
public record InterfaceReading(
    String name,
    boolean up,
    boolean loopback,
    long rxBytes,
    long txBytes,
    long rxPackets,
    long txPackets,
    long rxErrors,
    long txErrors,
    long rxDrops,
    long txDrops) {

  public InterfaceReading {
    Objects.requireNonNull(name, "name");
  }
}
