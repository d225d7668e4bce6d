package io.vigia.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.LinkState;
import io.vigia.collector.registry.StoredSample;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertEngineTest {

  private static final Instant T0 = Instant.parse("2026-12-04T19:00:00Z");

  private final List<Alert> events = new ArrayList<>();
  private long seq;

  private AlertEngine engine(String yaml) throws AlertRulesException {
    return new AlertEngine(RulesFile.parse("rules.yaml", yaml), events::add);
  }

  private StoredSample cpu(Instant at, int busyPerMille) {
    return new StoredSample(
        1,
        ++seq,
        at,
        1000,
        new CpuFigures(
            busyPerMille,
            new int[] {busyPerMille},
            busyPerMille,
            0,
            0,
            0,
            0,
            0,
            0,
            1000 - busyPerMille));
  }

  private StoredSample disk(Instant at, long usedBytes, long freeBytes) {
    FileSystemFigures fs =
        new FileSystemFigures(
            "/var", "/dev/sda2", "ext4", usedBytes + freeBytes, usedBytes, freeBytes, 0, 0);
    return new StoredSample(
        1, ++seq, at, 1000, null, new Families(null, null, List.of(fs), List.of(), List.of()));
  }

  private static final String CPU_ONLY =
      """
      groups:
        - name: test
          rules:
            - alert: HostCpuSaturated
              for: 5s
      """;

  private static String only(String kept) {
    StringBuilder yaml = new StringBuilder("groups:\n  - name: off\n    rules:\n");
    for (AlertRule rule : RulesFile.builtIn()) {
      if (!rule.name().equals(kept)) {
        yaml.append("      - alert: ").append(rule.name()).append("\n        enabled: false\n");
      }
    }
    return yaml.toString();
  }

  @Test
  void cpuAboveTheLineGoesPendingThenFiresAfterItsFor() throws Exception {
    AlertEngine engine =
        engine(only("HostCpuSaturated") + CPU_ONLY.substring(CPU_ONLY.indexOf("  - name")));
    engine.sample("web-1", cpu(T0, 950), 0, T0);
    assertThat(engine.alerts())
        .singleElement()
        .extracting(Alert::state)
        .isEqualTo(AlertState.PENDING);
    engine.sample("web-1", cpu(T0.plusSeconds(4), 950), 0, T0.plusSeconds(4));
    assertThat(engine.alerts().get(0).state()).isEqualTo(AlertState.PENDING);
    engine.sample("web-1", cpu(T0.plusSeconds(5), 950), 0, T0.plusSeconds(5));
    Alert firing = engine.alerts().get(0);
    assertThat(firing.state()).isEqualTo(AlertState.FIRING);
    assertThat(firing.activeAt()).isEqualTo(T0);
    assertThat(firing.firedAt()).isEqualTo(T0.plusSeconds(5));
    assertThat(firing.labels())
        .containsEntry("alertname", "HostCpuSaturated")
        .containsEntry("host", "web-1")
        .containsEntry("severity", "warning");
    assertThat(firing.summary()).isEqualTo("web-1: CPU 95% busy");
    assertThat(events)
        .extracting(Alert::state)
        .containsExactly(AlertState.PENDING, AlertState.FIRING);
  }

  @Test
  void aValueHoveringBetweenTheLinesKeepsItFiringUntilItClears() throws Exception {
    AlertEngine engine =
        engine(only("HostCpuSaturated") + CPU_ONLY.substring(CPU_ONLY.indexOf("  - name")));
    engine.sample("h", cpu(T0, 950), 0, T0);
    engine.sample("h", cpu(T0.plusSeconds(5), 950), 0, T0);
    engine.sample("h", cpu(T0.plusSeconds(6), 850), 0, T0); // below 0.9, above the clear 0.8
    engine.sample("h", cpu(T0.plusSeconds(7), 910), 0, T0);
    engine.sample("h", cpu(T0.plusSeconds(8), 810), 0, T0);
    assertThat(engine.alerts().get(0).state()).isEqualTo(AlertState.FIRING);
    engine.sample("h", cpu(T0.plusSeconds(9), 800), 0, T0);
    Alert resolved = engine.alerts().get(0);
    assertThat(resolved.state()).isEqualTo(AlertState.RESOLVED);
    assertThat(resolved.resolvedAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(events)
        .extracting(Alert::state)
        .containsExactly(AlertState.PENDING, AlertState.FIRING, AlertState.RESOLVED);
  }

  @Test
  void aPendingAlertWhoseValueDropsGoesBackToInactive() throws Exception {
    AlertEngine engine =
        engine(only("HostCpuSaturated") + CPU_ONLY.substring(CPU_ONLY.indexOf("  - name")));
    engine.sample("h", cpu(T0, 950), 0, T0);
    engine.sample("h", cpu(T0.plusSeconds(2), 500), 0, T0);
    assertThat(engine.alerts()).isEmpty();
    engine.sample("h", cpu(T0.plusSeconds(3), 950), 0, T0);
    engine.sample("h", cpu(T0.plusSeconds(7), 950), 0, T0);
    assertThat(engine.alerts().get(0).state()).isEqualTo(AlertState.PENDING);
    assertThat(engine.alerts().get(0).activeAt()).isEqualTo(T0.plusSeconds(3));
  }

  @Test
  void hostsGlobsLimitARuleToTheHostsTheyName() throws Exception {
    String yaml =
        only("HostCpuSaturated")
            + "      - alert: HostCpuSaturated\n        for: 0s\n        hosts: [\"web-*\"]\n";
    AlertEngine engine =
        new AlertEngine(
            RulesFile.parse(
                "r", yaml.replace("      - alert: HostCpuSaturated\n        enabled: false\n", "")),
            events::add);
    engine.hostState("db-1", "db-1.lan", LinkState.CONNECTED, T0, T0);
    engine.hostState("x", "web-7", LinkState.CONNECTED, T0, T0);
    engine.sample("db-1", cpu(T0, 990), 0, T0);
    engine.sample("x", cpu(T0, 990), 0, T0);
    assertThat(engine.alerts()).singleElement().extracting(Alert::host).isEqualTo("x");
  }

  @Test
  void aLostHostFiresHostLostOnceItsDelayHasPassedAndResolvesWhenItComesBack() throws Exception {
    AlertEngine engine = engine(only("HostLost"));
    engine.hostState("web-1", "web-1", LinkState.CONNECTED, T0, T0);
    engine.hostState("web-1", "web-1", LinkState.LOST, T0.plusSeconds(10), T0.plusSeconds(10));
    engine.tick(T0.plusSeconds(69));
    assertThat(engine.alerts().get(0).state()).isEqualTo(AlertState.PENDING);
    engine.tick(T0.plusSeconds(70));
    Alert lost = engine.alerts().get(0);
    assertThat(lost.state()).isEqualTo(AlertState.FIRING);
    assertThat(lost.labels()).containsEntry("severity", "critical");
    engine.hostState("web-1", "web-1", LinkState.CONNECTED, T0.plusSeconds(80), T0.plusSeconds(80));
    assertThat(engine.alerts().get(0).state()).isEqualTo(AlertState.RESOLVED);
  }

  @Test
  void aHostThatLeftOnPurposeIsNotLost() throws Exception {
    AlertEngine engine = engine(only("HostLost"));
    engine.hostState("web-1", "web-1", LinkState.LEFT, T0, T0);
    engine.tick(T0.plusSeconds(600));
    assertThat(engine.alerts()).isEmpty();
  }

  @Test
  void aFileSystemFillingAtASteadyRateFiresTheForecastBeforeItIsFull() throws Exception {
    String yaml =
        only("HostFilesystemFillingUp")
                .replace("      - alert: HostFilesystemFillingUp\n        enabled: false\n", "")
            + "      - alert: HostFilesystemFillingUp\n        for: 0s\n";
    AlertEngine engine = engine(yaml);
    long size = 100L << 30;
    // 10 GiB free, losing 1 GiB every 15 minutes: empty in 2.5 hours, inside the 4 h horizon.
    for (int minute = 0; minute <= 30; minute++) {
      long free = (10L << 30) - (minute * (1L << 30) / 15);
      engine.sample("db", disk(T0.plusSeconds(60L * minute), size - free, free), 0, T0);
    }
    assertThat(engine.alerts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state()).isEqualTo(AlertState.FIRING);
              assertThat(a.labels()).containsEntry("mount", "/var").containsEntry("fstype", "ext4");
            });
  }

  @Test
  void aSteadyFileSystemDoesNotFireTheForecast() throws Exception {
    AlertEngine engine =
        engine(
            only("HostFilesystemFillingUp")
                .replace("      - alert: HostFilesystemFillingUp\n        enabled: false\n", ""));
    for (int minute = 0; minute <= 60; minute++) {
      long free = (10L << 30) + (minute % 2) * (1L << 20);
      engine.sample("db", disk(T0.plusSeconds(60L * minute), 90L << 30, free), 0, T0);
    }
    assertThat(engine.alerts()).isEmpty();
  }

  @Test
  void samplesTheAgentDroppedFireAgentDroppingSamples() throws Exception {
    AlertEngine engine =
        engine(
            only("AgentDroppingSamples")
                .replace("      - alert: AgentDroppingSamples\n        enabled: false\n", ""));
    engine.sample("h", cpu(T0, 10), 0, T0);
    engine.sample("h", cpu(T0.plusSeconds(1), 10), 0, T0);
    assertThat(engine.alerts()).isEmpty();
    engine.sample("h", cpu(T0.plusSeconds(2), 10), 42, T0);
    assertThat(engine.alerts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state()).isEqualTo(AlertState.FIRING);
              assertThat(a.value()).isEqualTo(42);
            });
  }

  @Test
  void restoredStatesKeepAPendingForAndAFiringAlertIsNotSentAgain() throws Exception {
    String yaml =
        only("HostCpuSaturated")
            .replace("      - alert: HostCpuSaturated\n        enabled: false\n", "");
    AlertEngine first = engine(yaml);
    first.sample("a", cpu(T0, 950), 0, T0);
    first.sample("b", cpu(T0, 950), 0, T0);
    first.sample("b", cpu(T0.plus(Duration.ofMinutes(5)), 950), 0, T0);
    List<Alert> saved = first.alerts();
    events.clear();
    AlertEngine second = engine(yaml);
    second.restore(saved, T0.plusSeconds(301));
    assertThat(events).isEmpty();
    second.sample("b", cpu(T0.plusSeconds(302), 950), 0, T0.plusSeconds(302));
    assertThat(events).isEmpty(); // still firing, not new
    second.sample("a", cpu(T0.plusSeconds(302), 950), 0, T0.plusSeconds(302));
    assertThat(events).extracting(Alert::state).containsExactly(AlertState.FIRING);
    assertThat(events.get(0).activeAt()).isEqualTo(T0);
  }

  @Test
  void aFiringAlertWhoseRuleWasRemovedIsSentAsResolved() throws Exception {
    String yaml =
        only("HostCpuSaturated")
                .replace("      - alert: HostCpuSaturated\n        enabled: false\n", "")
            + "      - alert: HostCpuSaturated\n        for: 0s\n";
    AlertEngine first = engine(yaml);
    first.sample("a", cpu(T0, 950), 0, T0);
    events.clear();
    AlertEngine second = engine(only("none"));
    second.restore(first.alerts(), T0.plusSeconds(9));
    assertThat(events)
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.state()).isEqualTo(AlertState.RESOLVED);
              assertThat(a.resolvedAt()).isEqualTo(T0.plusSeconds(9));
            });
  }

  @Test
  void aSeriesThatStopsComingResolvesOnceStale() throws Exception {
    String yaml =
        only("HostCpuSaturated")
                .replace("      - alert: HostCpuSaturated\n        enabled: false\n", "")
            + "      - alert: HostCpuSaturated\n        for: 0s\n";
    AlertEngine engine = engine(yaml);
    engine.sample("a", cpu(T0, 950), 0, T0);
    engine.tick(T0.plus(AlertEngine.STALE).minusSeconds(1));
    assertThat(engine.alerts().get(0).state()).isEqualTo(AlertState.FIRING);
    engine.tick(T0.plus(AlertEngine.STALE));
    assertThat(engine.alerts().get(0).state()).isEqualTo(AlertState.RESOLVED);
    engine.tick(T0.plus(AlertEngine.STALE).plus(AlertEngine.RESOLVED_KEPT));
    assertThat(engine.alerts()).isEmpty();
  }
}
