package io.vigia.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.LinkState;
import io.vigia.collector.registry.StoredSample;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiJsonTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final HostIdentity WEB_1 =
      new HostIdentity(
          "web-1",
          "web-1.example.org",
          "Debian GNU/Linux 12",
          4,
          "0.1.0",
          1_740_823_200_000L,
          5000);

  private static StoredSample sample(long seq, Instant time, int busy, int... cores) {
    return new StoredSample(
        WEB_1.epoch(), seq, time, 5000, new CpuFigures(busy, cores, 300, 5, 100, 20, 1, 2, 0, 572));
  }

  @Test
  void anAgentIsRenderedWithItsLatestFiguresInPercent() {
    HostView host =
        new HostView(
            WEB_1,
            "10.0.0.7:50412",
            LinkState.CONNECTED,
            T0,
            T0.plusSeconds(5),
            42,
            42,
            Optional.of(sample(42, T0.plusSeconds(5), 417, 400, 500, 0, 1000)));

    assertThat(ApiJson.agentJson(host))
        .isEqualTo(
            """
            {"id":"web-1","hostname":"web-1.example.org","address":"10.0.0.7:50412",\
            "state":"CONNECTED","cores":4,"cpuPercent":41.7,"lastSeen":"2025-03-01T10:00:05Z",\
            "samples":42,"os":"Debian GNU/Linux 12","agentVersion":"0.1.0","intervalMs":5000,\
            "epoch":"1740823200000","lastSeq":"42","stateSince":"2025-03-01T10:00:00Z",\
            "corePercent":[40.0,50.0,0.0,100.0],"fileSystems":[],"disks":[],"interfaces":[],\
            "hasCpu":true,"spoolDropped":"0","duplicates":"0","links":0,\
            "spoolDiskBytes":"0","spoolRecovered":"0"}""");
  }

  @Test
  void anAgentWithoutSamplesShowsZeroCpuAndNoCores() {
    HostView host =
        new HostView(WEB_1, "10.0.0.7:50412", LinkState.LOST, T0, T0, 0, 0, Optional.empty());

    assertThat(ApiJson.agentJson(host))
        .contains("\"state\":\"LOST\"")
        .contains("\"cpuPercent\":0.0")
        .contains("\"samples\":0")
        .contains("\"corePercent\":[]");
  }

  @Test
  void anEmptyAgentListIsAnEmptyArray() {
    assertThat(ApiJson.agents(List.of())).isEqualTo("{\"agents\":[]}");
  }

  @Test
  void historyListsSamplesOldestFirstWithEveryMode() {
    String json =
        ApiJson.history(
            "web-1",
            List.of(
                sample(1, Instant.parse("2025-03-01T10:00:05.250Z"), 417, 400, 500, 0, 1000),
                sample(2, Instant.parse("2025-03-01T10:00:10Z"), 1000, 1000, 1000, 1000, 1000)));

    assertThat(json)
        .isEqualTo(
            """
            {"id":"web-1","samples":[\
            {"seq":"1","time":"2025-03-01T10:00:05.250Z","intervalMs":5000,"cpuPercent":41.7,\
            "corePercent":[40.0,50.0,0.0,100.0],"userPercent":30.0,"nicePercent":0.5,\
            "systemPercent":10.0,"iowaitPercent":2.0,"irqPercent":0.1,"softirqPercent":0.2,\
            "stealPercent":0.0,"idlePercent":57.2,"epoch":"1740823200000",\
            "fileSystems":[],"disks":[],"interfaces":[],"hasCpu":true},\
            {"seq":"2","time":"2025-03-01T10:00:10Z","intervalMs":5000,"cpuPercent":100.0,\
            "corePercent":[100.0,100.0,100.0,100.0],"userPercent":30.0,"nicePercent":0.5,\
            "systemPercent":10.0,"iowaitPercent":2.0,"irqPercent":0.1,"softirqPercent":0.2,\
            "stealPercent":0.0,"idlePercent":57.2,"epoch":"1740823200000",\
            "fileSystems":[],"disks":[],"interfaces":[],"hasCpu":true}]}""");
  }

  @Test
  void anErrorHasAMachineCodeAndAMessage() {
    JsonObject error =
        JsonParser.parseString(ApiJson.error("not_found", "no agent with id 'x'"))
            .getAsJsonObject();

    assertThat(error.keySet()).containsExactly("error", "message");
    assertThat(error.get("error").getAsString()).isEqualTo("not_found");
    assertThat(error.get("message").getAsString()).isEqualTo("no agent with id 'x'");
  }
}
