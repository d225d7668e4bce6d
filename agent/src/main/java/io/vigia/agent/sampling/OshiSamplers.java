package io.vigia.agent.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.software.os.OperatingSystem;

/**
 * The samplers and host facts through OSHI: for systems other than Linux, for Linux without a
 * readable {@code /proc}, and as the reference the {@code /proc} sources are checked against. Kept
 * apart from {@link Samplers} so that OSHI and JNA are not even loaded when they are not used.
 */
public final class OshiSamplers {

  private OshiSamplers() {}

  /**
   * @param mounts which mount points the disk family reports
   * @param interfaces which network interfaces the net family reports
   * @param nanoTicker a monotonic clock in nanoseconds
   */
  public static List<Sampler> onThisHost(
      SystemInfo system,
      Set<MetricFamily> families,
      DeviceFilter mounts,
      DeviceFilter interfaces,
      LongSupplier nanoTicker) {
    HardwareAbstractionLayer hardware = system.getHardware();
    OperatingSystem os = system.getOperatingSystem();
    List<Sampler> samplers = new ArrayList<>();
    if (families.contains(MetricFamily.CPU)) {
      samplers.add(new CpuSampler(new OshiCpuTicksSource(hardware.getProcessor()), nanoTicker));
      samplers.add(new LoadSampler(new OshiSystemSource(hardware.getProcessor(), os), nanoTicker));
    }
    if (families.contains(MetricFamily.MEMORY)) {
      samplers.add(new MemorySampler(new OshiMemorySource(hardware.getMemory()), nanoTicker));
    }
    if (families.contains(MetricFamily.DISK)) {
      FileSystemSource fileSystems =
          SystemInfo.getCurrentPlatform() == oshi.PlatformEnum.LINUX
              ? new LinuxMountsSource()
              : new OshiFileSystemSource(os.getFileSystem());
      samplers.add(new DiskSampler(fileSystems, new OshiDiskSource(hardware), mounts, nanoTicker));
    }
    if (families.contains(MetricFamily.NET)) {
      samplers.add(new NetworkSampler(new OshiInterfaceSource(hardware), interfaces, nanoTicker));
    }
    return samplers;
  }

  /** Hostname, operating system and logical processor count as OSHI sees them. */
  public static HostFacts facts(SystemInfo system) {
    OperatingSystem os = system.getOperatingSystem();
    return new HostFacts(
        os.getNetworkParams().getHostName(),
        os.toString(),
        Math.max(1, system.getHardware().getProcessor().getLogicalProcessorCount()));
  }
}
