package io.vigia.agent.sampling;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The metric families an agent can sample, by the names {@code --metrics} takes. */
public enum MetricFamily {
  /** CPU utilisation, with load averages, processes, context switches and interrupts. */
  CPU,
  /** Memory and swap. */
  MEMORY,
  /** File systems (space, inodes) and block devices (I/O rates, busy time). */
  DISK,
  /** Network interfaces (traffic, errors, drops, link state). */
  NET;

  /** The name on the command line: "cpu", "memory", "disk", "net". */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the valid choices
   */
  public static MetricFamily parse(String label) {
    for (MetricFamily family : values()) {
      if (family.label().equals(label.strip().toLowerCase(Locale.ROOT))) {
        return family;
      }
    }
    throw new IllegalArgumentException(
        "unknown metric family '" + label + "'; choose from " + labels());
  }

  /** "cpu, memory, disk, net". */
  public static String labels() {
    return Arrays.stream(values()).map(MetricFamily::label).collect(Collectors.joining(", "));
  }
}
