package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiMemory;
import io.vigia.proto.ApiStreamEvent;
import io.vigia.proto.ApiStreamSample;
import io.vigia.proto.HostState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopScreenTest {

  private static final Instant NOW = Instant.parse("2025-03-01T10:00:10Z");

  private static ApiAgent agent(String id, double cpu, double memory, HostState state) {
    return ApiAgent.newBuilder()
        .setId(id)
        .setHostname(id)
        .setState(state)
        .setCores(4)
        .setHasCpu(true)
        .setCpuPercent(cpu)
        .addAllCorePercent(List.of(cpu, cpu, cpu, cpu))
        .setMemory(ApiMemory.newBuilder().setUsedPercent(memory).setTotalBytes(8L << 30))
        .setLastSeen(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 5))
        .build();
  }

  private static TopModel fleet() {
    TopModel model = new TopModel();
    model.load(
        List.of(
            agent("alpha", 10, 80, HostState.CONNECTED),
            agent("bravo", 90, 20, HostState.CONNECTED),
            agent("charlie", 50, 50, HostState.LOST)));
    return model;
  }

  private static List<String> text(TopModel model, TopScreen.View view, int w, int h) {
    return TopScreen.render(model, view, w, h, NOW).stream()
        .map(line -> line.toString().stripTrailing())
        .toList();
  }

  private static List<String> hostColumn(List<String> lines) {
    return lines.subList(2, 5).stream().map(l -> l.split(" +")[0]).toList();
  }

  @Test
  void sortsByCpuMemoryOrName() {
    TopScreen.View view = new TopScreen.View();
    assertThat(hostColumn(text(fleet(), view, 120, 10)))
        .containsExactly("bravo", "charlie", "alpha");
    view.sort = TopModel.Sort.MEMORY;
    assertThat(hostColumn(text(fleet(), view, 120, 10)))
        .containsExactly("alpha", "charlie", "bravo");
    view.sort = TopModel.Sort.NAME;
    assertThat(hostColumn(text(fleet(), view, 120, 10)))
        .containsExactly("alpha", "bravo", "charlie");
  }

  @Test
  void aWideRowHasStateBarsAndACellPerCore() {
    List<String> lines = text(fleet(), new TopScreen.View(), 120, 10);
    assertThat(lines.get(0)).startsWith("vigia top  3 hosts, 2 connected  sort: cpu");
    assertThat(lines.get(2))
        .startsWith("bravo              CONNECTED  90.0% ██████████▊  ")
        .contains(" 20.0% ")
        .endsWith("████");
    assertThat(lines.get(3)).contains("LOST");
    assertThat(lines).allMatch(line -> line.length() <= 120);
    assertThat(lines).hasSize(10);
    assertThat(lines.get(9)).startsWith("c/m/n sort");
  }

  @Test
  void aNarrowTerminalGetsPlainFigures() {
    List<String> lines = text(fleet(), new TopScreen.View(), 40, 8);
    assertThat(lines.get(2)).isEqualTo("bravo                     90.0%   20.0%");
    assertThat(lines).allMatch(line -> line.length() <= 40);
  }

  @Test
  void theFilterKeepsMatchingHosts() {
    TopScreen.View view = new TopScreen.View();
    view.filter = "AR";
    List<String> lines = text(fleet(), view, 120, 10);
    assertThat(lines.get(2)).startsWith("charlie");
    assertThat(lines.get(3)).isEmpty();
    view.filter = "zulu";
    assertThat(text(fleet(), view, 120, 10).get(2)).isEqualTo("no host matches 'zulu'");
  }

  @Test
  void aStreamSampleUpdatesTheRowAndTheOpenHostShowsABarPerCoreAndHistory() {
    TopModel model = fleet();
    model.apply(
        ApiStreamEvent.newBuilder()
            .setType("sample")
            .setHost("alpha")
            .setSample(
                ApiStreamSample.newBuilder()
                    .setSeq(9)
                    .setHasCpu(true)
                    .setCpuPercent(99)
                    .addAllCorePercent(List.of(100.0, 98.0, 99.0, 99.0))
                    .setMemoryUsedPercent(81)
                    .setMemoryTotalBytes(8L << 30)
                    .setStored(Timestamp.newBuilder().setSeconds(NOW.getEpochSecond() - 1)))
            .build());
    TopScreen.View view = new TopScreen.View();
    assertThat(hostColumn(text(model, view, 120, 10)).get(0)).isEqualTo("alpha");

    view.open = "alpha";
    List<String> lines = text(model, view, 80, 14);
    assertThat(lines.get(0)).startsWith("alpha (alpha)  CONNECTED  4 cores").contains("1s ago");
    assertThat(lines.get(1)).startsWith("CPU 99.0%  memory 81.0% of 8.0 GiB");
    assertThat(lines.subList(3, 7)).allMatch(line -> line.matches(" +\\d █+.* +\\d+\\.\\d%"));
    assertThat(lines).contains("CPU, last 1 samples (0-100 %)", " █");
  }
}
