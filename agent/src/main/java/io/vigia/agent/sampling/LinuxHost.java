package io.vigia.agent.sampling;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The samplers and host facts of a Linux machine, read straight from {@code /proc} and {@code
 * /sys}: no OSHI, no JNA (except for {@code statvfs(3)} in the disk family) and little garbage per
 * round. {@link Samplers} uses it when {@link #available()} and falls back on OSHI otherwise.
 */
final class LinuxHost {

  private LinuxHost() {}

  /** True on Linux with a readable {@code /proc}. */
  static boolean available() {
    return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
        && new File("/proc/stat").canRead()
        && new File("/proc/meminfo").canRead();
  }

  static List<Sampler> samplers(
      String root,
      Set<MetricFamily> families,
      DeviceFilter mounts,
      DeviceFilter interfaces,
      LongSupplier nanoTicker) {
    List<Sampler> samplers = new ArrayList<>();
    if (families.contains(MetricFamily.CPU)) {
      // One read of /proc/stat per round serves both.
      ProcFile stat = new ProcFile(root + "/proc/stat", 8192);
      samplers.add(
          new CpuSampler(new ProcCpuTicksSource(stat, presentProcessors(root)), nanoTicker));
      samplers.add(new LoadSampler(new ProcSystemSource(root, stat, nanoTicker), nanoTicker));
    }
    if (families.contains(MetricFamily.MEMORY)) {
      samplers.add(new MemorySampler(new ProcMemorySource(root), nanoTicker));
    }
    if (families.contains(MetricFamily.DISK)) {
      samplers.add(
          new DiskSampler(new LinuxMountsSource(), new ProcDiskSource(root), mounts, nanoTicker));
    }
    if (families.contains(MetricFamily.NET)) {
      samplers.add(new NetworkSampler(new ProcInterfaceSource(root), interfaces, nanoTicker));
    }
    return samplers;
  }

  /** This machine's hostname, operating system and processor count. */
  static HostFacts facts(String root) {
    String hostname = firstLine(root + "/proc/sys/kernel/hostname");
    String release = firstLine(root + "/proc/sys/kernel/osrelease");
    return new HostFacts(
        hostname.isEmpty() ? "localhost" : hostname,
        osName(readOrEmpty(root + "/etc/os-release"), release),
        presentProcessors(root));
  }

  /**
   * "GNU/Linux Debian GNU/Linux 12 (bookworm) build 6.1.0-18-amd64": the distribution's NAME and
   * VERSION from an os-release text and the kernel release, in the form OSHI gave.
   */
  static String osName(String osRelease, String kernelRelease) {
    String name = osReleaseValue(osRelease, "NAME");
    String version = osReleaseValue(osRelease, "VERSION");
    if (version.isEmpty()) {
      version = osReleaseValue(osRelease, "VERSION_ID");
    }
    StringBuilder out = new StringBuilder("GNU/Linux");
    if (!name.isEmpty()) {
      out.append(' ').append(name);
    }
    if (!version.isEmpty()) {
      out.append(' ').append(version);
    }
    if (!kernelRelease.isEmpty()) {
      out.append(" build ").append(kernelRelease);
    }
    return out.toString();
  }

  static String osReleaseValue(String osRelease, String key) {
    for (String line : osRelease.split("\n")) {
      if (line.startsWith(key + "=")) {
        String value = line.substring(key.length() + 1).strip();
        if (value.length() >= 2
            && (value.charAt(0) == '"' || value.charAt(0) == '\'')
            && value.charAt(value.length() - 1) == value.charAt(0)) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return "";
  }

  /**
   * Processors present ({@code /sys/devices/system/cpu/present}, "0-63" or "0,2-5"), online or not;
   * else those {@code /proc/stat} lists; at least 1.
   */
  static int presentProcessors(String root) {
    int fromSys = highestInRange(firstLine(root + "/sys/devices/system/cpu/present")) + 1;
    if (fromSys > 0) {
      return fromSys;
    }
    ProcFile stat = new ProcFile(root + "/proc/stat", 8192);
    try {
      return ProcCpuTicksSource.parse(stat.read(new ProcText()), 1).length;
    } finally {
      stat.close();
    }
  }

  /** The highest number of a kernel CPU list such as "0-3,8-11"; -1 if there is none. */
  static int highestInRange(String list) {
    int highest = -1;
    int value = -1;
    for (int i = 0; i < list.length(); i++) {
      char c = list.charAt(i);
      if (c >= '0' && c <= '9') {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        if (value > 1 << 20) {
          return -1; // not a CPU list
        }
      } else {
        highest = Math.max(highest, value);
        value = -1;
      }
    }
    return Math.max(highest, value);
  }

  private static String firstLine(String path) {
    String text = readOrEmpty(path);
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }

  private static String readOrEmpty(String path) {
    try {
      return Files.readString(Path.of(path), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
