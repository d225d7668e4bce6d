package io.vigia.codec.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A daemon's configuration file: one {@code key=value} per line, {@code #} starts a comment line,
 * blank lines are ignored, and the keys are the long option names without their dashes.
 *
 * <pre>
 * # /etc/vigia/agent.conf
 * collector=monitor.example.org:7070
 * interval=5s
 * </pre>
 *
 * @param path where it was read from, for messages
 * @param values every key set, in file order
 */
record ConfigFile(Path path, Map<String, Entry> values) {

  /** One setting and the line it is on. */
  record Entry(String value, int line) {}

  /**
   * Reads {@code path}.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException naming the file and line of a malformed or repeated setting
   */
  static ConfigFile read(Path path) throws IOException {
    return parse(path, Files.readAllLines(path, StandardCharsets.UTF_8));
  }

  static ConfigFile parse(Path path, List<String> lines) {
    Map<String, Entry> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int number = i + 1;
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            path + " line " + number + ": '" + line + "' is not key=value");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      Entry earlier = values.put(key, new Entry(value, number));
      if (earlier != null) {
        throw new IllegalArgumentException(
            path + " line " + number + ": " + key + " is set already on line " + earlier.line());
      }
    }
    return new ConfigFile(path, Map.copyOf(values));
  }
}
