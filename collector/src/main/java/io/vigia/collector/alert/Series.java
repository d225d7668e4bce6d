package io.vigia.collector.alert;

import io.vigia.collector.metrics.CpuSeries;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The series a rule can watch: those of {@code /metrics} under the same names, and a few ratios
 * that an alert wants and {@code /metrics} leaves to a query ({@code vigia_host_memory_used_ratio}
 * is {@code 1 - available / total}). Each is read straight from a stored sample, so watching one
 * costs the same whatever the history.
 */
enum Series {
  CPU_BUSY(CpuSeries.BUSY, Dimension.HOST),
  CPU_CORE(CpuSeries.UTILISATION, Dimension.CORE),
  CPU_MODE(CpuSeries.MODE, Dimension.MODE),
  MEMORY_USED_RATIO("vigia_host_memory_used_ratio", Dimension.HOST),
  MEMORY_AVAILABLE("vigia_host_memory_available_bytes", Dimension.HOST),
  SWAP_USED_RATIO("vigia_host_swap_used_ratio", Dimension.HOST),
  SWAP_USED("vigia_host_swap_used_bytes", Dimension.HOST),
  LOAD1("vigia_host_load1", Dimension.HOST),
  LOAD5("vigia_host_load5", Dimension.HOST),
  LOAD15("vigia_host_load15", Dimension.HOST),
  FS_USED_RATIO("vigia_host_filesystem_used_ratio", Dimension.FILE_SYSTEM),
  FS_FREE("vigia_host_filesystem_free_bytes", Dimension.FILE_SYSTEM),
  FS_USED("vigia_host_filesystem_used_bytes", Dimension.FILE_SYSTEM),
  DISK_BUSY("vigia_host_disk_busy_ratio", Dimension.DISK),
  DISK_READ("vigia_host_disk_read_bytes_per_second", Dimension.DISK),
  DISK_WRITTEN("vigia_host_disk_written_bytes_per_second", Dimension.DISK),
  NET_RECEIVE("vigia_host_network_receive_bytes_per_second", Dimension.INTERFACE),
  NET_TRANSMIT("vigia_host_network_transmit_bytes_per_second", Dimension.INTERFACE),
  NET_ERRORS("vigia_host_network_errors_per_second", Dimension.INTERFACE),
  NET_DROPS("vigia_host_network_drops_per_second", Dimension.INTERFACE),
  SPOOL_DROPPED("vigia_host_agent_spool_dropped_samples", Dimension.HOST),
  /** 1 while the host's agent is linked, 0 once its link is lost; judged by the clock. */
  UP("vigia_host_up", Dimension.HOST);

  /** What one series of a host is told apart by, and the labels that name it. */
  enum Dimension {
    HOST(List.of()),
    CORE(List.of("core")),
    MODE(List.of("mode")),
    FILE_SYSTEM(List.of("mount", "device", "fstype")),
    DISK(List.of("device")),
    INTERFACE(List.of("interface"));

    final List<String> labels;

    Dimension(List<String> labels) {
      this.labels = labels;
    }
  }

  final String metric;
  final Dimension dimension;

  Series(String metric, Dimension dimension) {
    this.metric = metric;
    this.dimension = dimension;
  }

  static Optional<Series> byMetric(String metric) {
    return Arrays.stream(values()).filter(s -> s.metric.equals(metric)).findFirst();
  }

  /** A counter: only {@code increase(...)} of it makes sense. */
  boolean counter() {
    return this == SPOOL_DROPPED;
  }
}
