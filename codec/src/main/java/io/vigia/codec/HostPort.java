package io.vigia.codec;

/**
 * A {@code HOST:PORT} as operators write it in flags and config files: {@code
 * collector.example.org:7070}, {@code 10.0.0.5:7070}, {@code [2001:db8::1]:7070}, or {@code :7070}
 * (no host: every interface, for a listener). Nothing is resolved here.
 *
 * @param host the host without brackets; empty when none was written
 * @param port 0 to 65535
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be within 0..65535: " + port);
    }
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static HostPort parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon < 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(
          "'" + text + "' is not HOST:PORT; write it like collector.example.org:7070");
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = text.substring(colon + 1);
    int number = -1;
    if (port.length() <= 5 && port.chars().allMatch(Character::isDigit)) {
      number = Integer.parseInt(port);
    }
    if (number < 0 || number > 65535) {
      throw new IllegalArgumentException(
          "'" + port + "' in '" + text + "' is not a port (1-65535)");
    }
    return new HostPort(host, number);
  }
}
