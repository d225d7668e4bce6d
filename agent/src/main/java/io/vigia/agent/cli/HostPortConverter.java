package io.vigia.agent.cli;

import java.net.InetSocketAddress;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code HOST:PORT} (or {@code [v6addr]:PORT}) without resolving the host yet. */
final class HostPortConverter implements ITypeConverter<InetSocketAddress> {

  @Override
  public InetSocketAddress convert(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new TypeConversionException(
          "'" + value + "' is not HOST:PORT; write it like collector.example.org:7070");
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
    if (port < 1 || port > 65535) {
      throw new TypeConversionException(
          "'" + value.substring(colon + 1) + "' in '" + value + "' is not a port (1-65535)");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
