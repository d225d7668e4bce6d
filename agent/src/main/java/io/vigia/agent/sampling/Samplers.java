package io.vigia.agent.sampling;

import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import oshi.SystemInfo;

/**
 * Builds the samplers of the chosen families on this machine, with the production sources: on Linux
 * the kernel's own files ({@code /proc}, {@code /sys}), read directly; elsewhere OSHI ({@link
 * OshiSamplers}), which is then the only place OSHI is loaded.
 *
 * <pre>{@code
 * List<Sampler> samplers =
 *     Samplers.onThisHost(EnumSet.allOf(MetricFamily.class),
 *         DeviceFilter.DEFAULT, DeviceFilter.DEFAULT, System::nanoTime);
 * }</pre>
 */
public final class Samplers {

  private Samplers() {}

  /**
   * @param mounts which mount points the disk family reports
   * @param interfaces which network interfaces the net family reports
   * @param nanoTicker a monotonic clock in nanoseconds
   */
  public static List<Sampler> onThisHost(
      Set<MetricFamily> families,
      DeviceFilter mounts,
      DeviceFilter interfaces,
      LongSupplier nanoTicker) {
    if (LinuxHost.available()) {
      return LinuxHost.samplers("", families, mounts, interfaces, nanoTicker);
    }
    return OshiSamplers.onThisHost(new SystemInfo(), families, mounts, interfaces, nanoTicker);
  }

  /** This machine's hostname, operating system and processor count, for the Hello. */
  public static HostFacts hostFacts() {
    if (LinuxHost.available()) {
      return LinuxHost.facts("");
    }
    return OshiSamplers.facts(new SystemInfo());
  }
}
