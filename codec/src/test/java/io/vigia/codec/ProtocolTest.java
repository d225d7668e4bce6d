package io.vigia.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProtocolTest {

  @Test
  void toPerMilleRoundsToTheNearestTenthOfAPercent() {
    assertThat(Protocol.toPerMille(0.1234)).isEqualTo(123);
    assertThat(Protocol.toPerMille(0.1236)).isEqualTo(124);
  }

  @Test
  void toPerMilleKeepsTheEnds() {
    assertThat(Protocol.toPerMille(0.0)).isZero();
    assertThat(Protocol.toPerMille(1.0)).isEqualTo(1000);
  }

  @Test
  void toPerMilleTurnsNanIntoZero() {
    assertThat(Protocol.toPerMille(Double.NaN)).isZero();
  }

  @Test
  void toPerMilleClampsNegativesToZero() {
    assertThat(Protocol.toPerMille(-0.25)).isZero();
    assertThat(Protocol.toPerMille(Double.NEGATIVE_INFINITY)).isZero();
  }

  @Test
  void toPerMilleClampsRatiosAboveOneToFull() {
    assertThat(Protocol.toPerMille(1.7)).isEqualTo(Protocol.PER_MILLE_FULL);
    assertThat(Protocol.toPerMille(Double.POSITIVE_INFINITY)).isEqualTo(Protocol.PER_MILLE_FULL);
  }

  @Test
  void perMilleToPercentDividesByTen() {
    assertThat(Protocol.perMilleToPercent(1000)).isEqualTo(100.0);
    assertThat(Protocol.perMilleToPercent(5)).isEqualTo(0.5);
  }
}
