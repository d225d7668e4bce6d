package io.vigia.collector.cli;

import java.util.Optional;

/**
 * Reads a server-sent event stream line by line, as the HTML specification's "event stream
 * interpretation" has it: {@code field: value} lines build an event, a blank line dispatches it,
 * lines starting with ":" are comments. Not thread-safe: one per stream.
 */
final class SseParser {

  /** One dispatched event; {@code id} is the last id seen on the stream, or null. */
  record Event(String id, String type, String data) {}

  private final StringBuilder data = new StringBuilder();
  private String type = "";
  private String lastId;
  private boolean hasData;

  /** Feeds one line (without its line ending); returns the event a blank line completes. */
  Optional<Event> line(String line) {
    if (line.isEmpty()) {
      if (!hasData) {
        type = "";
        return Optional.empty();
      }
      Event event = new Event(lastId, type.isEmpty() ? "message" : type, data.toString());
      data.setLength(0);
      hasData = false;
      type = "";
      return Optional.of(event);
    }
    if (line.startsWith(":")) {
      return Optional.empty();
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "event" -> type = value;
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastId = value;
        }
      }
      default -> {
        // "retry" and unknown fields: nothing to do for a command-line client.
      }
    }
    return Optional.empty();
  }

  /** The last event id seen, to send as Last-Event-ID on reconnecting; null if none. */
  String lastId() {
    return lastId;
  }
}
