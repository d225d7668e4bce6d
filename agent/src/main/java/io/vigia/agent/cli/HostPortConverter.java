package io.vigia.agent.cli;

import io.vigia.codec.HostPort;
import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads the collector's {@code HOST:PORT}; the host is resolved at each connection attempt, so a
 * collector that moves to another address in DNS is found again.
 */
final class HostPortConverter implements ITypeConverter<InetSocketAddress> {

  @Override
  public InetSocketAddress convert(String value) {
    HostPort address;
    try {
      address = HostPort.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
    if (address.host().isEmpty()) {
      throw new TypeConversionException(
          "'" + value + "' has no host; write it like collector.example.org:7070");
    }
    if (address.port() == 0) {
      throw new TypeConversionException("'" + value + "' is not a port (1-65535)");
    }
    return InetSocketAddress.createUnresolved(address.host(), address.port());
  }
}
