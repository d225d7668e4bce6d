package io.vigia.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;

import io.airlift.compress.snappy.SnappyDecompressor;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.registry.SystemFigures;
import io.vigia.collector.remotewrite.prompb.Label;
import io.vigia.collector.remotewrite.prompb.TimeSeries;
import io.vigia.collector.remotewrite.prompb.WriteRequest;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WriteRequestsTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Pending sample(String host, long seq, int core0, int core1) {
    return new Pending(
        host,
        new StoredSample(
            7,
            seq,
            T0.plusSeconds(seq),
            1000,
            new CpuFigures(
                (core0 + core1) / 2, new int[] {core0, core1}, 100, 1, 50, 20, 2, 3, 4, 820)));
  }

  private static String labels(TimeSeries series) {
    return series.getLabelsList().stream()
        .map(l -> l.getName() + "=" + l.getValue())
        .collect(Collectors.joining(","));
  }

  @Test
  void everySeriesOfMetricsWithTheAgentsTimestamps() {
    WriteRequests.Encoded encoded =
        WriteRequests.encode(List.of(sample("web-1", 1, 250, 500), sample("web-1", 2, 300, 600)));

    WriteRequest request = encoded.request();
    // busy, 2 cores, 8 modes, each with both samples
    assertThat(request.getTimeseriesCount()).isEqualTo(11);
    assertThat(encoded.seriesSamples()).isEqualTo(22);
    Map<String, TimeSeries> byLabels =
        request.getTimeseriesList().stream()
            .collect(Collectors.toMap(WriteRequestsTest::labels, s -> s));
    TimeSeries core1 = byLabels.get("__name__=vigia_host_cpu_utilisation_ratio,core=1,host=web-1");
    assertThat(core1.getSamplesList())
        .extracting(s -> s.getValue(), s -> s.getTimestamp())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0.5, T0.plusSeconds(1).toEpochMilli()),
            org.assertj.core.groups.Tuple.tuple(0.6, T0.plusSeconds(2).toEpochMilli()));
    assertThat(
            byLabels.get("__name__=vigia_host_cpu_busy_ratio,host=web-1").getSamples(1).getValue())
        .isEqualTo(0.45);
    assertThat(
            byLabels
                .get("__name__=vigia_host_cpu_mode_ratio,host=web-1,mode=iowait")
                .getSamples(0)
                .getValue())
        .isEqualTo(0.02);
    assertThat(byLabels).containsKey("__name__=vigia_host_cpu_mode_ratio,host=web-1,mode=idle");
  }

  @Test
  void labelsAreSortedByName() {
    WriteRequest request = WriteRequests.encode(List.of(sample("h", 1, 0, 0))).request();

    for (TimeSeries series : request.getTimeseriesList()) {
      List<String> names = series.getLabelsList().stream().map(Label::getName).toList();
      assertThat(names).isSorted().startsWith("__name__");
    }
  }

  @Test
  void hostsKeepTheirOwnSeries() {
    WriteRequest request =
        WriteRequests.encode(List.of(sample("a", 1, 0, 0), sample("b", 1, 0, 0))).request();

    assertThat(request.getTimeseriesCount()).isEqualTo(22);
    assertThat(request.getTimeseriesList())
        .allSatisfy(s -> assertThat(s.getSamplesCount()).isOne());
  }

  @Test
  void memoryLoadFileSystemsDisksAndInterfacesGoTooWithTheLabelsOfMetrics() {
    Families families =
        new Families(
            new MemoryFigures(8_000, 6_000, 1_000, 100, 0, 0, 0, 0),
            new SystemFigures(125, 100, -1, 3_600, 210, 900, 0, 0),
            List.of(new FileSystemFigures("/", "/dev/vda1", "ext4", 100, 40, 60, 10, 4)),
            List.of(new DiskFigures("vda", 4_096, -1, 100, 200, 250)),
            List.of(new InterfaceFigures("eth0", true, 1_500, 900, 10, 9, 0, 0, 0, 0)));
    Pending pending =
        new Pending("db-1", new StoredSample(3, 9, T0.plusSeconds(9), 5000, null, families));

    WriteRequests.Encoded encoded = WriteRequests.encode(List.of(pending));

    Map<String, Double> values =
        encoded.request().getTimeseriesList().stream()
            .collect(Collectors.toMap(WriteRequestsTest::labels, s -> s.getSamples(0).getValue()));
    assertThat(values)
        .containsEntry("__name__=vigia_host_memory_available_bytes,host=db-1", 6_000.0)
        .containsEntry("__name__=vigia_host_load1,host=db-1", 1.25)
        .containsEntry(
            "__name__=vigia_host_filesystem_used_bytes,device=/dev/vda1,fstype=ext4,host=db-1,"
                + "mount=/",
            40.0)
        .containsEntry(
            "__name__=vigia_host_disk_read_bytes_per_second,device=vda,host=db-1", 4096.0)
        .containsEntry("__name__=vigia_host_disk_busy_ratio,device=vda,host=db-1", 0.25)
        .containsEntry(
            "__name__=vigia_host_network_receive_bytes_per_second,host=db-1,interface=eth0", 1500.0)
        .containsEntry("__name__=vigia_host_network_up,host=db-1,interface=eth0", 1.0);
    // What the agent could not measure (-1) is left out, as in /metrics.
    assertThat(values)
        .doesNotContainKey("__name__=vigia_host_load15,host=db-1")
        .doesNotContainKey(
            "__name__=vigia_host_disk_written_bytes_per_second,device=vda,host=db-1");
    assertThat(encoded.seriesSamples()).isEqualTo(values.size());
    assertThat(encoded.request().getTimeseries(0).getSamples(0).getTimestamp())
        .isEqualTo(T0.plusSeconds(9).toEpochMilli());
  }

  @Test
  void aSampleWithoutAnyFiguresAddsNothing() {
    Pending noCpu = new Pending("m", new StoredSample(1, 1, T0, 1000, null, Families.NONE));

    WriteRequests.Encoded encoded = WriteRequests.encode(List.of(noCpu));

    assertThat(encoded.request().getTimeseriesCount()).isZero();
    assertThat(encoded.seriesSamples()).isZero();
  }

  @Test
  void snappyBlockFormatRoundTrips() throws Exception {
    byte[] raw =
        WriteRequests.encode(List.of(sample("web-1", 1, 250, 500))).request().toByteArray();

    byte[] compressed =
        WriteRequests.snappy(new io.airlift.compress.snappy.SnappyCompressor(), raw);

    byte[] back = new byte[SnappyDecompressor.getUncompressedLength(compressed, 0)];
    int n =
        new SnappyDecompressor().decompress(compressed, 0, compressed.length, back, 0, back.length);
    assertThat(n).isEqualTo(raw.length);
    assertThat(WriteRequest.parseFrom(back).getTimeseriesCount()).isEqualTo(11);
  }
}
