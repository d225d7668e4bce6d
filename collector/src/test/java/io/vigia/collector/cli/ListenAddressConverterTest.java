package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ListenAddressConverterTest {

  private final ListenAddressConverter converter = new ListenAddressConverter();

  @Test
  void readsHostAndPort() {
    InetSocketAddress address = converter.convert("127.0.0.1:7071");

    assertThat(address.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(address.getPort()).isEqualTo(7071);
  }

  @Test
  void readsABracketedIpv6Host() {
    InetSocketAddress address = converter.convert("[::1]:7070");

    assertThat(address.getAddress().isLoopbackAddress()).isTrue();
    assertThat(address.getPort()).isEqualTo(7070);
  }

  @Test
  void aBarePortMeansEveryInterface() {
    InetSocketAddress address = converter.convert(":7070");

    assertThat(address.getAddress().isAnyLocalAddress()).isTrue();
    assertThat(address.getPort()).isEqualTo(7070);
  }

  @Test
  void rejectsTextWithoutAPort() {
    assertThatThrownBy(() -> converter.convert("nonsense"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'nonsense' is not HOST:PORT");
  }

  @Test
  void rejectsAPortOutOfRange() {
    assertThatThrownBy(() -> converter.convert("127.0.0.1:70000"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("not a port");
  }

  @Test
  void rejectsAPortThatIsNotANumber() {
    assertThatThrownBy(() -> converter.convert("127.0.0.1:http"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("'http'");
  }
}
