package io.vigia.collector.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.registry.SystemFigures;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostMetricsTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private final HostRegistry registry = new HostRegistry(10, InstantSource.fixed(T0));
  private final CollectorMetrics metrics = new CollectorMetrics(registry);

  private String scrape() {
    return PrometheusTextFormatWriter.create().toDebugString(metrics.scrape());
  }

  private void connect(long link, String id, int cores) {
    registry.connect(
        link, new HostIdentity(id, id + ".lan", "Linux", cores, "0.1.0", 7, 5000), "10.0.0.1:5000");
  }

  private static StoredSample sample(long seq, int busy, int... cores) {
    return new StoredSample(
        7,
        seq,
        T0.minusMillis(1500),
        5000,
        new CpuFigures(busy, cores, 200, 0, 50, 10, 1, 2, 3, 734));
  }

  @Test
  void aConnectedHostHasItsLatestFiguresPerCoreAndPerModeAsRatios() {
    connect(1, "web-1", 2);
    registry.append(1, "web-1", sample(1, 900, 900, 900));
    registry.append(1, "web-1", sample(2, 256, 125, 387));

    String text = scrape();

    assertThat(text)
        .contains(
            """
            # HELP vigia_host_cpu_utilisation_ratio Share of one logical processor's time spent busy\
             over the newest sample's interval, 0 to 1.
            # TYPE vigia_host_cpu_utilisation_ratio gauge
            vigia_host_cpu_utilisation_ratio{core="0",host="web-1"} 0.125
            vigia_host_cpu_utilisation_ratio{core="1",host="web-1"} 0.387
            """)
        .contains("vigia_host_cpu_busy_ratio{host=\"web-1\"} 0.256\n")
        .contains("vigia_host_cpu_mode_ratio{host=\"web-1\",mode=\"user\"} 0.2\n")
        .contains("vigia_host_cpu_mode_ratio{host=\"web-1\",mode=\"idle\"} 0.734\n")
        .contains("vigia_host_cpu_mode_ratio{host=\"web-1\",mode=\"steal\"} 0.003\n")
        .contains("vigia_host_cpu_cores{host=\"web-1\"} 2.0\n")
        .contains("vigia_host_up{host=\"web-1\"} 1.0\n")
        .contains("vigia_host_last_seen_timestamp_seconds{host=\"web-1\"} 1.7408232E9\n")
        .contains("vigia_host_last_sample_timestamp_seconds{host=\"web-1\"} 1.7408231985E9\n")
        .contains(
            "vigia_host_info{agent_version=\"0.1.0\",host=\"web-1\",hostname=\"web-1.lan\","
                + "os=\"Linux\"} 1.0\n")
        .contains("vigia_hosts{state=\"connected\"} 1.0\n")
        .contains("vigia_hosts{state=\"lost\"} 0.0\n");
  }

  @Test
  void aLostHostIsDownWithoutCpuFiguresAndStillCountedByState() {
    connect(1, "web-1", 2);
    registry.append(1, "web-1", sample(1, 256, 125, 387));
    connect(2, "db-1", 1);
    registry.append(2, "db-1", sample(1, 500, 500));
    registry.disconnect(1, "web-1", false);

    String text = scrape();

    assertThat(text)
        .contains("vigia_host_up{host=\"web-1\"} 0.0\n")
        .contains("vigia_host_up{host=\"db-1\"} 1.0\n")
        .contains("vigia_host_last_seen_timestamp_seconds{host=\"web-1\"}")
        .doesNotContain("vigia_host_cpu_utilisation_ratio{core=\"0\",host=\"web-1\"}")
        .doesNotContain("vigia_host_cpu_busy_ratio{host=\"web-1\"}")
        .contains("vigia_host_cpu_utilisation_ratio{core=\"0\",host=\"db-1\"} 0.5\n")
        .contains("vigia_hosts{state=\"connected\"} 1.0\n")
        .contains("vigia_hosts{state=\"lost\"} 1.0\n")
        .contains("vigia_hosts{state=\"left\"} 0.0\n");
  }

  @Test
  void aHostIdWithQuotesAndBackslashesIsEscapedInItsLabel() {
    connect(1, "odd\"id\\x", 1);
    registry.append(1, "odd\"id\\x", sample(1, 10, 10));

    assertThat(scrape()).contains("vigia_host_up{host=\"odd\\\"id\\\\x\"} 1.0\n");
  }

  @Test
  void withNoHostsTheStateCountsAreZeroAndNoHostSeriesExist() {
    assertThat(scrape())
        .contains("vigia_hosts{state=\"connected\"} 0.0\n")
        .doesNotContain("vigia_host_up{");
  }

  private static final Families FAMILIES =
      new Families(
          new MemoryFigures(16L << 30, 12L << 30, 8L << 30, 210L << 20, 2L << 30, 0, 0, -1),
          new SystemFigures(52, 48, -1, 3600, 312, 1_204, 210_000, 90_500),
          List.of(
              new FileSystemFigures(
                  "/", "/dev/vda", "ext4", 252L << 30, 23L << 30, 80L << 30, 1_000, 12)),
          List.of(new DiskFigures("vda", -1, 12_897_484, -1, 4_500, 32)),
          List.of(new InterfaceFigures("eth0", true, 1_229, 300, 1_200, 800, 0, 0, 20, 0)));

  @Test
  void memoryLoadDisksAndInterfacesAreGaugesLabelledByDevice() {
    connect(1, "web-1", 1);
    registry.append(
        1,
        "web-1",
        new StoredSample(
            7,
            1,
            T0,
            5000,
            new CpuFigures(100, new int[] {100}, 100, 0, 0, 0, 0, 0, 0, 900),
            FAMILIES));

    String text = scrape();

    assertThat(text)
        .contains("vigia_host_memory_total_bytes{host=\"web-1\"} 1.7179869184E10\n")
        .contains("vigia_host_memory_available_bytes{host=\"web-1\"} 1.2884901888E10\n")
        .contains("vigia_host_load1{host=\"web-1\"} 0.52\n")
        .doesNotContain("vigia_host_load15{")
        .contains(
            "vigia_host_filesystem_size_bytes{device=\"/dev/vda\",fstype=\"ext4\",host=\"web-1\","
                + "mount=\"/\"} 2.70582939648E11\n")
        .contains(
            "vigia_host_disk_written_bytes_per_second{device=\"vda\",host=\"web-1\"}"
                + " 1.2897484E7\n")
        .doesNotContain("vigia_host_disk_read_bytes_per_second{")
        .contains("vigia_host_disk_busy_ratio{device=\"vda\",host=\"web-1\"} 0.032\n")
        .contains(
            "vigia_host_network_receive_bytes_per_second{host=\"web-1\",interface=\"eth0\"}"
                + " 1229.0\n")
        .contains("vigia_host_network_up{host=\"web-1\",interface=\"eth0\"} 1.0\n");
  }

  @Test
  void aSampleWithoutCpuFiguresStillExportsItsOtherFamilies() {
    connect(1, "disk-only", 1);
    registry.append(1, "disk-only", new StoredSample(7, 1, T0, 5000, null, FAMILIES));

    String text = scrape();

    assertThat(text)
        .doesNotContain("vigia_host_cpu_busy_ratio{host=\"disk-only\"}")
        .contains("vigia_host_memory_total_bytes{host=\"disk-only\"}")
        .contains("vigia_host_up{host=\"disk-only\"} 1.0\n");
  }

  @Test
  void theAgentsSpoolDropsAndIgnoredReplaysAreCountersPerHost() {
    connect(1, "web-1", 2);
    registry.append(1, "web-1", sample(40, 256, 125, 387), 39);
    registry.append(1, "web-1", sample(40, 256, 125, 387), 39);

    String text = scrape();

    assertThat(text)
        .contains("vigia_host_agent_spool_dropped_samples_total{host=\"web-1\"} 39.0\n")
        .contains("vigia_host_replayed_samples_total{host=\"web-1\"} 1.0\n");
  }
}
