package io.vigia.collector.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a listen address: {@code HOST:PORT}, {@code [v6]:PORT} or {@code :PORT} (all interfaces).
 */
final class ListenAddressConverter implements ITypeConverter<InetSocketAddress> {

  @Override
  public InetSocketAddress convert(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0 || colon == value.length() - 1) {
      throw new TypeConversionException(
          "'" + value + "' is not HOST:PORT; write it like 0.0.0.0:7070 or 127.0.0.1:7071");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new TypeConversionException(
          "'" + value.substring(colon + 1) + "' in '" + value + "' is not a port (0-65535)");
    }
    return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
  }
}
