package io.vigia.collector.registry;

import java.util.Objects;

/**
 * Traffic of one network interface over one interval: bytes per second; packets, errors and drops
 * in hundredths per second. {@code -1} marks a rate the agent could not measure.
 */
public record InterfaceFigures(
    String name,
    boolean up,
    long rxBytesPerSec,
    long txBytesPerSec,
    long rxPacketsX100,
    long txPacketsX100,
    long rxErrorsX100,
    long txErrorsX100,
    long rxDropsX100,
    long txDropsX100) {

  public InterfaceFigures {
    Objects.requireNonNull(name, "name");
  }
}
