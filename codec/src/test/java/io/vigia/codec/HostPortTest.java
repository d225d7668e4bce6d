package io.vigia.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {

  @Test
  void readsNameAndPort() {
    assertThat(HostPort.parse("collector.example.org:7070"))
        .isEqualTo(new HostPort("collector.example.org", 7070));
  }

  @Test
  void readsBracketedIpv6() {
    assertThat(HostPort.parse("[2001:db8::1]:7070")).isEqualTo(new HostPort("2001:db8::1", 7070));
  }

  @Test
  void emptyHostMeansEveryInterface() {
    assertThat(HostPort.parse(":7071")).isEqualTo(new HostPort("", 7071));
  }

  @Test
  void missingPortNamesTheTextAndTheForm() {
    assertThatThrownBy(() -> HostPort.parse("collector"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'collector'")
        .hasMessageContaining("HOST:PORT");
  }

  @Test
  void portOutOfRangeOrNotANumberNamesThePort() {
    assertThatThrownBy(() -> HostPort.parse("h:70700")).hasMessageContaining("'70700'");
    assertThatThrownBy(() -> HostPort.parse("h:-1")).hasMessageContaining("'-1'");
    assertThatThrownBy(() -> HostPort.parse("h:99999999999")).hasMessageContaining("not a port");
  }
}
