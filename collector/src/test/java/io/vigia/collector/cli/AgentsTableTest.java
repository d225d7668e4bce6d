package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.HostState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentsTableTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");

  private static ApiAgent agent(
      String id,
      String hostname,
      String address,
      HostState state,
      int cores,
      double cpu,
      int samples,
      Instant lastSeen) {
    return ApiAgent.newBuilder()
        .setId(id)
        .setHostname(hostname)
        .setAddress(address)
        .setState(state)
        .setCores(cores)
        .setCpuPercent(cpu)
        .setSamples(samples)
        .setLastSeen(Timestamps.fromMillis(lastSeen.toEpochMilli()))
        .build();
  }

  private static final List<ApiAgent> FLEET =
      List.of(
          agent(
              "db-primary",
              "db.example.org",
              "10.0.0.12:40000",
              HostState.LOST,
              16,
              3.0,
              3,
              NOW.minusSeconds(180)),
          agent("new-host", "new", "10.0.0.9:1", HostState.CONNECTED, 2, 0, 0, NOW),
          agent(
              "web-1",
              "web-1.example.org",
              "10.0.0.7:50412",
              HostState.CONNECTED,
              8,
              41.66,
              12,
              NOW.minusSeconds(5)));

  @Test
  void rendersOneAlignedRowPerAgentUnderAHeader() {
    assertThat(AgentsTable.render(FLEET, NOW))
        .isEqualTo(
            """
            ID          HOSTNAME           ADDRESS          STATE      CORES    CPU  LAST SEEN
            db-primary  db.example.org     10.0.0.12:40000  LOST          16   3.0%     3m ago
            new-host    new                10.0.0.9:1       CONNECTED      2      -   just now
            web-1       web-1.example.org  10.0.0.7:50412   CONNECTED      8  41.7%     5s ago
            """);
  }

  @Test
  void inEveryRowTextStartsUnderItsHeadingAndNumbersEndUnderTheirs() {
    List<String> lines = AgentsTable.render(FLEET, NOW).lines().toList();
    String header = lines.get(0);

    for (String row : lines) {
      assertThat(row).as(row).hasSameSizeAs(header);
      for (String heading : List.of("ID", "HOSTNAME", "ADDRESS", "STATE")) {
        int start = header.indexOf(heading);
        assertThat(row.charAt(start)).as("%s in %s", heading, row).isNotEqualTo(' ');
        if (start > 0) {
          assertThat(row.charAt(start - 1)).as("%s in %s", heading, row).isEqualTo(' ');
        }
      }
      for (String heading : List.of("CORES", "CPU", "LAST SEEN")) {
        int end = header.indexOf(heading) + heading.length();
        assertThat(row.charAt(end - 1)).as("%s in %s", heading, row).isNotEqualTo(' ');
        if (end < row.length()) {
          assertThat(row.charAt(end)).as("%s in %s", heading, row).isEqualTo(' ');
        }
      }
    }
  }

  @Test
  void cpuShowsOneDecimalAndAPercentSign() {
    String table =
        AgentsTable.render(
            List.of(agent("a", "a", "10.0.0.1:1", HostState.CONNECTED, 1, 12, 1, NOW)), NOW);

    assertThat(table.lines().toList().get(1)).contains(" 12.0% ");
  }

  @Test
  void aHostWithoutSamplesShowsADashForCpu() {
    String table =
        AgentsTable.render(
            List.of(agent("a", "a", "10.0.0.1:1", HostState.CONNECTED, 1, 0, 0, NOW)), NOW);

    assertThat(table.lines().toList().get(1)).matches(".*CONNECTED +1 +- +just now");
  }

  @Test
  void anEmptyListPrintsAFriendlyLineInsteadOfATable() {
    assertThat(AgentsTable.render(List.of(), NOW))
        .isEqualTo("No agents have connected to this collector yet.\n");
  }

  @Test
  void ageUnderASecondIsJustNow() {
    assertThat(AgentsTable.age(Duration.ZERO)).isEqualTo("just now");
    assertThat(AgentsTable.age(Duration.ofMillis(999))).isEqualTo("just now");
  }

  @Test
  void ageOfAClockAheadOfOursIsJustNow() {
    assertThat(AgentsTable.age(Duration.ofSeconds(-30))).isEqualTo("just now");
  }

  @Test
  void ageUnderTwoMinutesIsInSeconds() {
    assertThat(AgentsTable.age(Duration.ofSeconds(5))).isEqualTo("5s ago");
    assertThat(AgentsTable.age(Duration.ofSeconds(119))).isEqualTo("119s ago");
  }

  @Test
  void ageUnderTwoHoursIsInMinutes() {
    assertThat(AgentsTable.age(Duration.ofMinutes(3))).isEqualTo("3m ago");
    assertThat(AgentsTable.age(Duration.ofMinutes(119))).isEqualTo("119m ago");
  }

  @Test
  void ageUnderTwoDaysIsInHours() {
    assertThat(AgentsTable.age(Duration.ofHours(2))).isEqualTo("2h ago");
    assertThat(AgentsTable.age(Duration.ofHours(47))).isEqualTo("47h ago");
  }

  @Test
  void ageFromTwoDaysIsInDays() {
    assertThat(AgentsTable.age(Duration.ofDays(3))).isEqualTo("3d ago");
  }
}
