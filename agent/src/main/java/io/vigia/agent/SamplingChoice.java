package io.vigia.agent;

import io.vigia.agent.sampling.DeviceFilter;
import io.vigia.agent.sampling.MetricFamily;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What an agent samples: the metric families, and which mounts and interfaces they report.
 *
 * @param families at least one
 */
public record SamplingChoice(
    Set<MetricFamily> families, DeviceFilter mounts, DeviceFilter interfaces) {

  /** Every family, default filters (no pseudo file systems, no loopback). */
  public static final SamplingChoice ALL =
      new SamplingChoice(
          EnumSet.allOf(MetricFamily.class), DeviceFilter.DEFAULT, DeviceFilter.DEFAULT);

  public SamplingChoice {
    if (families.isEmpty()) {
      throw new IllegalArgumentException("choose at least one metric family");
    }
    families = Set.copyOf(families);
    Objects.requireNonNull(mounts, "mounts");
    Objects.requireNonNull(interfaces, "interfaces");
  }
}
