package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.vigia.proto.ApiInterface;
import io.vigia.proto.ApiSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryReportTest {

  private static final long T0 = 1_740_823_200L;

  private static List<ApiSample> samples(int n) {
    List<ApiSample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          ApiSample.newBuilder()
              .setSeq(i + 1)
              .setTime(Timestamp.newBuilder().setSeconds(T0 + 60L * i))
              .setHasCpu(true)
              .setCpuPercent(i * 25)
              .addCorePercent(i * 20)
              .addInterfaces(
                  ApiInterface.newBuilder()
                      .setName("eth0")
                      .setRxBytesPerS(1024 * i)
                      .setTxBytesPerS(10))
              .build());
    }
    return out;
  }

  @Test
  void theTableHasFiguresAndASparklinePerSeries() {
    List<ApiSample> samples = samples(5);
    String table =
        HistoryReport.table(
            "web-1",
            HistoryReport.Metric.CPU,
            samples,
            HistoryReport.series(HistoryReport.Metric.CPU, samples));
    assertThat(table.lines())
        .contains(
            "SERIES         MIN         AVG         MAX        LAST  HISTORY",
            "busy          0.0%       50.0%      100.0%      100.0%  ▁▃▅▇█",
            "core 0        0.0%       40.0%       80.0%       80.0%  ▁▂▄▅▇");
  }

  @Test
  void csvHasAColumnPerSeriesAndEmptyCellsForUnknowns() {
    List<ApiSample> samples = new ArrayList<>(samples(2));
    samples.add(
        ApiSample.newBuilder()
            .setSeq(3)
            .setTime(Timestamp.newBuilder().setSeconds(T0 + 120))
            .build());
    String csv =
        HistoryReport.csv(samples, HistoryReport.series(HistoryReport.Metric.NET, samples));
    assertThat(csv)
        .isEqualTo(
            "time,seq,eth0_rx_bytes_per_s,eth0_tx_bytes_per_s\r\n"
                + "2025-03-01T10:00:00Z,1,0,10\r\n"
                + "2025-03-01T10:01:00Z,2,1024,10\r\n"
                + "2025-03-01T10:02:00Z,3,,\r\n");
  }

  @Test
  void theSpanEndsAtTheNewestSample() {
    assertThat(HistoryCommand.within(samples(5), Duration.ofMinutes(2)))
        .extracting(ApiSample::getSeq)
        .containsExactly(3L, 4L, 5L);
  }

  @Test
  void aFamilyTheSamplesLackIsSaidSo() {
    List<ApiSample> samples = samples(2);
    assertThat(
            HistoryReport.table(
                "web-1",
                HistoryReport.Metric.MEMORY,
                samples,
                HistoryReport.series(HistoryReport.Metric.MEMORY, samples)))
        .contains("the samples carry no memory figures");
  }
}
