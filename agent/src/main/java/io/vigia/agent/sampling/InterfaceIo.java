package io.vigia.agent.sampling;

import java.util.Objects;

/**
 * Traffic of one network interface over one interval, in the wire's units: bytes per second,
 * packets, errors and drops in hundredths per second. {@code -1} marks a rate with no valid
 * interval behind it.
 */
public record InterfaceIo(
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

  public InterfaceIo {
    Objects.requireNonNull(name, "name");
  }
}
