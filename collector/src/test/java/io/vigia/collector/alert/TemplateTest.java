package io.vigia.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

  @Test
  void fillsInLabelsValueAndThreshold() {
    Template t =
        Template.compile(
            "{{ $labels.hostname }}: {{$labels.mount}} {{ $value | humanizePercentage }} full"
                + " (line {{ $threshold }})");
    assertThat(t.render(Map.of("hostname", "db-1", "mount", "/var"), 0.9312, 0.9))
        .isEqualTo("db-1: /var 93.1% full (line 0.9)");
  }

  @Test
  void humanizesSizesAndDurations() {
    assertThat(Template.format(3.5 * (1L << 30), "humanize1024")).isEqualTo("3.5Gi");
    assertThat(Template.format(1_250_000, "humanize")).isEqualTo("1.25M");
    assertThat(Template.format(5400, "humanizeDuration")).isEqualTo("1h 30m");
    assertThat(Template.format(42, null)).isEqualTo("42");
    assertThat(Template.format(0.125, null)).isEqualTo("0.125");
  }

  @Test
  void anUnknownLabelIsEmpty() {
    assertThat(Template.compile("[{{ $labels.nope }}]").render(Map.of(), 0, 0)).isEqualTo("[]");
  }
}
