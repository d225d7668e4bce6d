package io.vigia.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesFileTest {

  @Test
  void theBuiltInRulesCoverWhatAHostMonitorMustTell() {
    assertThat(RulesFile.builtIn())
        .extracting(AlertRule::name)
        .containsExactly(
            "HostLost",
            "HostCpuSaturated",
            "HostCpuIowaitHigh",
            "HostCpuStealHigh",
            "HostMemoryPressure",
            "HostSwapPressure",
            "HostFilesystemAlmostFull",
            "HostFilesystemFull",
            "HostFilesystemFillingUp",
            "HostDiskBusy",
            "HostNetworkErrors",
            "AgentDroppingSamples");
    AlertRule lost = RulesFile.builtIn().get(0);
    assertThat(lost.forDuration()).isEqualTo(Duration.ofMinutes(1));
    assertThat(lost.severity()).isEqualTo(AlertRule.Severity.CRITICAL);
  }

  @Test
  void aRuleNamedLikeABuiltInOneChangesOnlyWhatItGives() throws Exception {
    List<AlertRule> rules =
        RulesFile.parse(
            "r.yaml",
            """
            groups:
              - name: tune
                rules:
                  - alert: HostCpuSaturated
                    for: 10m
                  - alert: HostSwapPressure
                    enabled: false
            """);
    AlertRule cpu =
        rules.stream().filter(r -> r.name().equals("HostCpuSaturated")).findFirst().get();
    assertThat(cpu.forDuration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(cpu.expr().threshold()).isEqualTo(0.9);
    assertThat(cpu.clear()).isEqualTo(0.8);
    assertThat(rules).extracting(AlertRule::name).doesNotContain("HostSwapPressure").hasSize(11);
  }

  @Test
  void aRuleOfOnesOwnTakesEveryField() throws Exception {
    List<AlertRule> rules =
        RulesFile.parse(
            "r.yaml",
            """
            groups:
              - name: web
                rules:
                  - alert: WebIowait
                    expr: vigia_host_cpu_mode_ratio{mode="iowait"} >= 0.5
                    clear: 0.3
                    for: 30s
                    hosts: ["web-*", "api-?"]
                    labels: {severity: critical, team: web}
                    annotations:
                      summary: "{{ $labels.hostname }} waits {{ $value | humanizePercentage }}"
            """);
    AlertRule rule = rules.get(rules.size() - 1);
    assertThat(rule.name()).isEqualTo("WebIowait");
    assertThat(rule.expr().series()).isEqualTo(Series.CPU_MODE);
    assertThat(rule.expr().op()).isEqualTo(Expr.Op.GE);
    assertThat(rule.clear()).isEqualTo(0.3);
    assertThat(rule.appliesTo("x", "web-3")).isTrue();
    assertThat(rule.appliesTo("api-1", "x")).isTrue();
    assertThat(rule.appliesTo("api-12", "db")).isFalse();
    assertThat(rule.labels()).containsEntry("severity", "critical").containsEntry("team", "web");
    assertThat(rule.source()).isEqualTo("r.yaml line 4");
  }

  @Test
  void anErrorNamesTheFileTheLineAndWhatIsWrong() {
    assertThatThrownBy(
            () ->
                RulesFile.parse(
                    "/etc/vigia/alerts.yml",
                    """
                    groups:
                      - name: web
                        rules:
                          - alert: Busy
                            expr: vigia_host_cpu_busy > 0.9
                    """))
        .isInstanceOf(AlertRulesException.class)
        .hasMessageStartingWith(
            "/etc/vigia/alerts.yml line 5: expr: unknown series 'vigia_host_cpu_busy'");
  }

  @Test
  void otherFaultsAreNamedToo() {
    assertFault(
        "groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: vigia_host_load1 >\n",
        "line 5: expr: expected a number as the threshold");
    assertFault(
        "groups:\n  - name: a\n    rules:\n      - alert: X\n        exp: 1\n",
        "line 5: unknown key 'exp' in a rule");
    assertFault(
        "groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: vigia_host_load1 > 4\n        clear: 5\n",
        "line 6: clear: must be on the good side of the threshold 4 (at most it)");
    assertFault(
        "groups:\n  - name: a\n    rules:\n      - alert: HostLost\n        for: soon\n",
        "line 5: for: 'soon' is not a duration");
    assertFault(
        "groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: vigia_host_load1 > 4\n        labels: {severity: page}\n",
        "line 6: labels: severity must be warning or critical, not 'page'");
    assertFault("groups:\n  - name: a\n    rules: [\n", "line 4: not valid YAML");
    assertFault(
        "groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: vigia_host_disk_busy_ratio{mount=\"/\"} > 1\n",
        "line 5: expr: vigia_host_disk_busy_ratio has no label 'mount'; its labels are device");
    assertFault(
        "groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: vigia_host_agent_spool_dropped_samples > 1\n",
        "is a counter: watch increase(");
    assertFault(
        "groups:\n  - name: a\n    rules:\n      - alert: X\n        expr: vigia_host_load1 > 1\n        annotations: {summary: \"{{ $labels }}\"}\n",
        "line 6: summary: cannot fill in '{{ $labels }}'");
  }

  private static void assertFault(String yaml, String message) {
    assertThatThrownBy(() -> RulesFile.parse("f.yml", yaml))
        .isInstanceOf(AlertRulesException.class)
        .hasMessageContaining(message);
  }

  @Test
  void anUnreadableFileIsNamed(@TempDir Path dir) {
    assertThatThrownBy(() -> RulesFile.read(dir.resolve("missing.yml")))
        .hasMessageContaining("missing.yml: cannot read it");
  }
}
