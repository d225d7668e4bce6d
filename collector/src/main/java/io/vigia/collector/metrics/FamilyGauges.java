package io.vigia.collector.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.SystemFigures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory, load, disk and network figures of each host's newest sample as gauges, labelled by
 * {@code host} and, per device, {@code mount}, {@code device} or {@code interface}. Rates are the
 * agent's, over its last interval (the agent keeps the counters; a rate it could not measure is
 * left out rather than shown as 0).
 *
 * <p>Not thread-safe: one instance per scrape.
 */
final class FamilyGauges {

  private record Spec(String name, String help, Unit unit) {}

  private static final List<Spec> SPECS =
      List.of(
          new Spec("vigia_host_memory_total_bytes", "Physical memory.", Unit.BYTES),
          new Spec(
              "vigia_host_memory_available_bytes",
              "Memory new programs could use without swapping.",
              Unit.BYTES),
          new Spec("vigia_host_memory_cached_bytes", "Page cache.", Unit.BYTES),
          new Spec("vigia_host_memory_buffers_bytes", "Buffers.", Unit.BYTES),
          new Spec("vigia_host_swap_total_bytes", "Swap space.", Unit.BYTES),
          new Spec("vigia_host_swap_used_bytes", "Swap space in use.", Unit.BYTES),
          new Spec("vigia_host_load1", "Load average over 1 minute.", null),
          new Spec("vigia_host_load5", "Load average over 5 minutes.", null),
          new Spec("vigia_host_load15", "Load average over 15 minutes.", null),
          new Spec("vigia_host_uptime_seconds", "Time since the host booted.", Unit.SECONDS),
          new Spec("vigia_host_processes", "Processes running.", null),
          new Spec("vigia_host_threads", "Threads running.", null),
          new Spec(
              "vigia_host_filesystem_size_bytes", "Size of a mounted file system.", Unit.BYTES),
          new Spec("vigia_host_filesystem_used_bytes", "Space used on it.", Unit.BYTES),
          new Spec(
              "vigia_host_filesystem_free_bytes",
              "Space free on it for unprivileged users.",
              Unit.BYTES),
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

  private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();

  FamilyGauges() {
    for (Spec spec : SPECS) {
      GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(spec.name()).help(spec.help());
      if (spec.unit() != null) {
        gauge.unit(spec.unit());
      }
      gauges.put(spec.name(), gauge);
    }
  }

  /** Adds one host's newest families. */
  void add(String host, Families families) {
    Labels hostLabel = Labels.of("host", host);
    MemoryFigures memory = families.memory();
    if (memory != null) {
      set("vigia_host_memory_total_bytes", memory.totalBytes(), hostLabel);
      set("vigia_host_memory_available_bytes", memory.availableBytes(), hostLabel);
      set("vigia_host_memory_cached_bytes", memory.cachedBytes(), hostLabel);
      set("vigia_host_memory_buffers_bytes", memory.buffersBytes(), hostLabel);
      set("vigia_host_swap_total_bytes", memory.swapTotalBytes(), hostLabel);
      set("vigia_host_swap_used_bytes", memory.swapUsedBytes(), hostLabel);
    }
    SystemFigures system = families.system();
    if (system != null) {
      setHundredths("vigia_host_load1", system.load1X100(), hostLabel);
      setHundredths("vigia_host_load5", system.load5X100(), hostLabel);
      setHundredths("vigia_host_load15", system.load15X100(), hostLabel);
      set("vigia_host_uptime_seconds", system.uptimeSeconds(), hostLabel);
      set("vigia_host_processes", system.processes(), hostLabel);
      set("vigia_host_threads", system.threads(), hostLabel);
    }
    for (FileSystemFigures fs : families.fileSystems()) {
      Labels labels =
          Labels.of("host", host, "mount", fs.mount(), "device", fs.device(), "fstype", fs.type());
      set("vigia_host_filesystem_size_bytes", fs.sizeBytes(), labels);
      set("vigia_host_filesystem_used_bytes", fs.usedBytes(), labels);
      set("vigia_host_filesystem_free_bytes", fs.freeBytes(), labels);
    }
    for (DiskFigures disk : families.disks()) {
      Labels labels = Labels.of("host", host, "device", disk.device());
      set("vigia_host_disk_read_bytes_per_second", disk.readBytesPerSec(), labels);
      set("vigia_host_disk_written_bytes_per_second", disk.writeBytesPerSec(), labels);
      if (disk.busyPerMille() >= 0) {
        point("vigia_host_disk_busy_ratio", disk.busyPerMille() / 1000.0, labels);
      }
    }
    for (InterfaceFigures nic : families.interfaces()) {
      Labels labels = Labels.of("host", host, "interface", nic.name());
      set("vigia_host_network_receive_bytes_per_second", nic.rxBytesPerSec(), labels);
      set("vigia_host_network_transmit_bytes_per_second", nic.txBytesPerSec(), labels);
      point("vigia_host_network_up", nic.up() ? 1 : 0, labels);
    }
  }

  List<MetricSnapshot> build() {
    List<MetricSnapshot> all = new ArrayList<>();
    gauges.values().forEach(gauge -> all.add(gauge.build()));
    return all;
  }

  /** A figure the agent measured; {@code -1} (not measured) is left out. */
  private void set(String name, long value, Labels labels) {
    if (value >= 0) {
      point(name, value, labels);
    }
  }

  private void setHundredths(String name, int valueX100, Labels labels) {
    if (valueX100 >= 0) {
      point(name, valueX100 / 100.0, labels);
    }
  }

  private void point(String name, double value, Labels labels) {
    gauges
        .get(name)
        .dataPoint(GaugeDataPointSnapshot.builder().value(value).labels(labels).build());
  }
}
