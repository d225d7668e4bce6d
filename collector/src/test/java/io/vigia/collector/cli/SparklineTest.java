package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparklineTest {

  @Test
  void eightHeightsFromMinToMax() {
    assertThat(Sparkline.of(new double[] {0, 25, 50, 75, 100}, 0, 100, 10)).isEqualTo("▁▃▅▇█");
  }

  @Test
  void moreValuesThanCellsAreAveragedAndUnknownsAreBlank() {
    assertThat(Sparkline.of(new double[] {0, 100, 100, 100, Double.NaN, Double.NaN}, 0, 100, 3))
        .isEqualTo("▅█ ");
  }

  @Test
  void barsFillToAnEighthOfACell() {
    assertThat(Sparkline.bar(50, 4)).isEqualTo("██  ");
    assertThat(Sparkline.bar(12.5 + 3.125, 4)).isEqualTo("▋   ");
    assertThat(Sparkline.bar(100, 3)).isEqualTo("███");
    assertThat(Sparkline.bar(250, 3)).isEqualTo("███");
  }
}
