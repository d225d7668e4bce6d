package io.vigia.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertingTest {

  @TempDir Path dir;

  private final HostRegistry registry = new HostRegistry(10, InstantSource.system());

  private Alerting start(Path rules) throws Exception {
    Alerting alerting =
        Alerting.start(
            AlertSettings.DEFAULT.withRulesFile(rules), registry, dir, InstantSource.system());
    registry.addListener(alerting);
    return alerting;
  }

  private void busySample(long seq) {
    registry.append(
        1,
        "web-1",
        new StoredSample(
            7,
            seq,
            Instant.now(),
            1000,
            new CpuFigures(980, new int[] {980}, 980, 0, 0, 0, 0, 0, 0, 20)));
  }

  @Test
  void reloadTakesANewFileAndKeepsTheRulesInForceWhenTheNewOneIsBad() throws Exception {
    Path rules = dir.resolve("rules.yml");
    Files.writeString(
        rules,
        "groups:\n  - name: t\n    rules:\n      - alert: HostLost\n        enabled: false\n");
    try (Alerting alerting = start(rules)) {
      assertThat(alerting.ruleNames()).hasSize(11).doesNotContain("HostLost");
      Files.writeString(rules, "groups: []\n");
      assertThat(alerting.reload()).isTrue();
      assertThat(alerting.ruleNames()).hasSize(12).contains("HostLost");
      Files.writeString(rules, "groups:\n  - name: t\n    rules:\n      - alert: Nope\n");
      assertThat(alerting.reload()).isFalse();
      assertThat(alerting.ruleNames()).hasSize(12);
      assertThat(alerting.reloadFailures()).isEqualTo(1);
    }
  }

  @Test
  void aFiringAlertSurvivesARestartThroughTheStateFile() throws Exception {
    Path rules = dir.resolve("rules.yml");
    Files.writeString(
        rules,
        "groups:\n  - name: t\n    rules:\n      - alert: HostCpuSaturated\n        for: 0s\n");
    registry.connect(1, new HostIdentity("web-1", "web-1", "Linux", 1, "t", 7, 1000), "a:1");
    Instant firedAt;
    try (Alerting alerting = start(rules)) {
      busySample(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> !alerting.alerts().isEmpty());
      firedAt = alerting.alerts().get(0).firedAt();
    }
    assertThat(dir.resolve(AlertStateFile.NAME)).exists();
    try (Alerting again = start(rules)) {
      assertThat(again.alerts())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.state()).isEqualTo(AlertState.FIRING);
                assertThat(a.firedAt()).isEqualTo(firedAt);
              });
      assertThat(again.notifications()).isZero();
    }
  }
}
