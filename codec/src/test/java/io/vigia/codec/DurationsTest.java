package io.vigia.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void parsesMilliseconds() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void parsesSeconds() {
    assertThat(Durations.parse("5s")).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void parsesMinutes() {
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void parsesHours() {
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void parsesDays() {
    assertThat(Durations.parse("7d")).isEqualTo(Duration.ofDays(7));
  }

  @Test
  void parsesIso8601() {
    assertThat(Durations.parse("PT5S")).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void ignoresCaseAndSurroundingBlanks() {
    assertThat(Durations.parse(" 10S\n")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void garbageIsRejectedWithAMessageNamingTheInput() {
    assertThatThrownBy(() -> Durations.parse("abc"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'abc'")
        .hasMessageContaining("5s");
  }

  @Test
  void unknownUnitIsRejectedWithAMessageNamingTheInput() {
    assertThatThrownBy(() -> Durations.parse("5 weeks"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'5 weeks'");
  }

  @Test
  void emptyTextIsRejected() {
    assertThatThrownBy(() -> Durations.parse(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("''");
  }

  @Test
  void formatsWholeSecondsInSeconds() {
    assertThat(Durations.format(Duration.ofSeconds(5))).isEqualTo("5s");
  }

  @Test
  void formatsFractionalSecondsInMilliseconds() {
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
  }

  @Test
  void formatsWholeMinutesInMinutes() {
    assertThat(Durations.format(Duration.ofSeconds(120))).isEqualTo("2m");
  }

  @Test
  void formatsWholeHoursInHours() {
    assertThat(Durations.format(Duration.ofMinutes(60))).isEqualTo("1h");
  }

  @Test
  void formatsZeroAsZeroSeconds() {
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }

  @Test
  void formattedDurationsParseBackToTheSameValue() {
    for (Duration d :
        new Duration[] {
          Duration.ofMillis(250),
          Duration.ofMillis(1500),
          Duration.ofSeconds(5),
          Duration.ofSeconds(90),
          Duration.ofMinutes(15),
          Duration.ofHours(36)
        }) {
      assertThat(Durations.parse(Durations.format(d))).as(Durations.format(d)).isEqualTo(d);
    }
  }
}
