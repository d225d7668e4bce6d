package io.vigia.collector.cli;

import io.vigia.codec.HostPort;
import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a listen address: {@code HOST:PORT}, {@code [v6]:PORT}, or {@code :PORT} for every
 * interface.
 */
final class ListenAddressConverter implements ITypeConverter<InetSocketAddress> {

  @Override
  public InetSocketAddress convert(String value) {
    try {
      HostPort address = HostPort.parse(value);
      return address.host().isEmpty()
          ? new InetSocketAddress(address.port())
          : new InetSocketAddress(address.host(), address.port());
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
