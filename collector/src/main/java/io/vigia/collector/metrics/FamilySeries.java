package io.vigia.collector.metrics;

import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.SystemFigures;
import java.util.List;

/**
 * The series of the memory, load, file system, disk and network families, the same in {@code
 * /metrics} and in remote write: their names, help and units, and the walk that turns one sample's
 * {@link Families} into values. Rates are the agent's, over its last interval; a figure the agent
 * could not measure ({@code -1}) is left out rather than shown as 0.
 */
public final class FamilySeries {

  /** One series' name, help text, and unit ({@code null} for none). */
  public record Spec(String name, String help, String unit) {}

  /** Receives the values of one sample. */
  @FunctionalInterface
  public interface Sink {
    /**
     * @param labels the labels besides {@code host}, as name, value, name, value..., names in
     *     alphabetical order
     */
    void value(String name, String[] labels, double value);
  }

  private static final String[] NONE = new String[0];

  public static final List<Spec> SPECS =
      List.of(
          new Spec("vigia_host_memory_total_bytes", "Physical memory.", "bytes"),
          new Spec(
              "vigia_host_memory_available_bytes",
              "Memory new programs could use without swapping.",
              "bytes"),
          new Spec("vigia_host_memory_cached_bytes", "Page cache.", "bytes"),
          new Spec("vigia_host_memory_buffers_bytes", "Buffers.", "bytes"),
          new Spec("vigia_host_swap_total_bytes", "Swap space.", "bytes"),
          new Spec("vigia_host_swap_used_bytes", "Swap space in use.", "bytes"),
          new Spec("vigia_host_load1", "Load average over 1 minute.", null),
          new Spec("vigia_host_load5", "Load average over 5 minutes.", null),
          new Spec("vigia_host_load15", "Load average over 15 minutes.", null),
          new Spec("vigia_host_uptime_seconds", "Time since the host booted.", "seconds"),
          new Spec("vigia_host_processes", "Processes running.", null),
          new Spec("vigia_host_threads", "Threads running.", null),
          new Spec("vigia_host_filesystem_size_bytes", "Size of a mounted file system.", "bytes"),
          new Spec("vigia_host_filesystem_used_bytes", "Space used on it.", "bytes"),
          new Spec(
              "vigia_host_filesystem_free_bytes",
              "Space free on it for unprivileged users.",
              "bytes"),
          new Spec(
              "vigia_host_disk_read_bytes_per_second",
              "Bytes read from a block device per second, over the agent's last interval.",
              null),
          new Spec(
              "vigia_host_disk_written_bytes_per_second",
              "Bytes written to a block device per second, over the agent's last interval.",
              null),
          new Spec(
              "vigia_host_disk_busy_ratio",
              "Share of the agent's last interval the block device was busy, 0 to 1.",
              null),
          new Spec(
              "vigia_host_network_receive_bytes_per_second",
              "Bytes received on an interface per second, over the agent's last interval.",
              null),
          new Spec(
              "vigia_host_network_transmit_bytes_per_second",
              "Bytes sent on an interface per second, over the agent's last interval.",
              null),
          new Spec("vigia_host_network_up", "1 if the interface's link is up, else 0.", null));

  private FamilySeries() {}

  /** Gives {@code sink} every value of {@code families}. */
  public static void forEach(Families families, Sink sink) {
    MemoryFigures memory = families.memory();
    if (memory != null) {
      measured(sink, "vigia_host_memory_total_bytes", NONE, memory.totalBytes());
      measured(sink, "vigia_host_memory_available_bytes", NONE, memory.availableBytes());
      measured(sink, "vigia_host_memory_cached_bytes", NONE, memory.cachedBytes());
      measured(sink, "vigia_host_memory_buffers_bytes", NONE, memory.buffersBytes());
      measured(sink, "vigia_host_swap_total_bytes", NONE, memory.swapTotalBytes());
      measured(sink, "vigia_host_swap_used_bytes", NONE, memory.swapUsedBytes());
    }
    SystemFigures system = families.system();
    if (system != null) {
      hundredths(sink, "vigia_host_load1", system.load1X100());
      hundredths(sink, "vigia_host_load5", system.load5X100());
      hundredths(sink, "vigia_host_load15", system.load15X100());
      measured(sink, "vigia_host_uptime_seconds", NONE, system.uptimeSeconds());
      measured(sink, "vigia_host_processes", NONE, system.processes());
      measured(sink, "vigia_host_threads", NONE, system.threads());
    }
    for (FileSystemFigures fs : families.fileSystems()) {
      String[] labels = {"device", fs.device(), "fstype", fs.type(), "mount", fs.mount()};
      measured(sink, "vigia_host_filesystem_size_bytes", labels, fs.sizeBytes());
      measured(sink, "vigia_host_filesystem_used_bytes", labels, fs.usedBytes());
      measured(sink, "vigia_host_filesystem_free_bytes", labels, fs.freeBytes());
    }
    for (DiskFigures disk : families.disks()) {
      String[] labels = {"device", disk.device()};
      measured(sink, "vigia_host_disk_read_bytes_per_second", labels, disk.readBytesPerSec());
      measured(sink, "vigia_host_disk_written_bytes_per_second", labels, disk.writeBytesPerSec());
      if (disk.busyPerMille() >= 0) {
        sink.value("vigia_host_disk_busy_ratio", labels, disk.busyPerMille() / 1000.0);
      }
    }
    for (InterfaceFigures nic : families.interfaces()) {
      String[] labels = {"interface", nic.name()};
      measured(sink, "vigia_host_network_receive_bytes_per_second", labels, nic.rxBytesPerSec());
      measured(sink, "vigia_host_network_transmit_bytes_per_second", labels, nic.txBytesPerSec());
      sink.value("vigia_host_network_up", labels, nic.up() ? 1 : 0);
    }
  }

  private static void measured(Sink sink, String name, String[] labels, long value) {
    if (value >= 0) {
      sink.value(name, labels, value);
    }
  }

  private static void hundredths(Sink sink, String name, int valueX100) {
    if (valueX100 >= 0) {
      sink.value(name, NONE, valueX100 / 100.0);
    }
  }
}
