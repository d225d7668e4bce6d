package io.vigia.collector.alert;

import java.io.IOException;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts' states in the data directory, {@code alerts.state}, so that a restart neither resets
 * a pending {@code for} nor sends a firing alert again as new. Written whole to a temporary file,
 * synced and renamed over the old one, so a crash leaves the old or the new file, never half of
 * one. The format is {@code docs/format/alerts.md}.
 *
 * <pre>
 * vigia-alert-states 1
 * HostCpuSaturated	FIRING	1764855000000	1764855300000	-	0.97	alertname=HostCpuSaturated&amp;host=web-1&amp;...	summary=web-1%3A+CPU+97%25+busy
 * </pre>
 */
final class AlertStateFile {

  static final String NAME = "alerts.state";
  static final int VERSION = 1;
  static final String MAGIC = "vigia-alert-states";

  private AlertStateFile() {}

  static void write(Path file, List<Alert> alerts) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel channel =
            FileChannel.open(
                temporary,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        Writer out = java.nio.channels.Channels.newWriter(channel, StandardCharsets.UTF_8)) {
      out.write(MAGIC + " " + VERSION + "\n");
      for (Alert alert : alerts) {
        if (alert.state() == AlertState.INACTIVE) {
          continue;
        }
        out.write(
            String.join(
                "\t",
                encode(alert.name()),
                alert.state().name(),
                Long.toString(alert.activeAt().toEpochMilli()),
                time(alert.firedAt()),
                time(alert.resolvedAt()),
                Double.toString(alert.value()),
                map(alert.labels()),
                map(alert.annotations())));
        out.write('\n');
      }
      out.flush();
      channel.force(true);
    }
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * @return the alerts in {@code file}; none if it does not exist
   * @throws AlertStatesException if it is of a newer format or cannot be read as this one
   */
  static List<Alert> read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    if (lines.isEmpty() || !lines.get(0).startsWith(MAGIC + " ")) {
      throw new AlertStatesException(
          file + " is not a Vigia alert state file; move it away to start without alert states");
    }
    int version;
    try {
      version = Integer.parseInt(lines.get(0).substring(MAGIC.length() + 1).strip());
    } catch (NumberFormatException e) {
      throw new AlertStatesException(file + " line 1: no format version");
    }
    if (version > VERSION) {
      throw new AlertStatesException(
          file
              + " is of format "
              + version
              + ", written by a newer Vigia; this one reads format "
              + VERSION
              + ". Upgrade, or move the file away to start without alert states");
    }
    List<Alert> alerts = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t", -1);
      try {
        if (f.length != 8) {
          throw new IllegalArgumentException("8 fields expected, " + f.length + " found");
        }
        alerts.add(
            new Alert(
                decode(f[0]),
                unmap(f[6]),
                unmap(f[7]),
                AlertState.valueOf(f[1]),
                Instant.ofEpochMilli(Long.parseLong(f[2])),
                instant(f[3]),
                instant(f[4]),
                Double.parseDouble(f[5])));
      } catch (IllegalArgumentException e) {
        throw new AlertStatesException(
            file + " line " + (i + 1) + ": " + e.getMessage() + "; move the file away to go on");
      }
    }
    return alerts;
  }

  private static String time(Instant at) {
    return at == null ? "-" : Long.toString(at.toEpochMilli());
  }

  private static Instant instant(String text) {
    return text.equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(text));
  }

  private static String map(Map<String, String> map) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (out.length() > 0) {
        out.append('&');
      }
      out.append(encode(e.getKey())).append('=').append(encode(e.getValue()));
    }
    return out.toString();
  }

  private static Map<String, String> unmap(String text) {
    Map<String, String> map = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return map;
    }
    for (String pair : text.split("&")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("'" + pair + "' is not name=value");
      }
      map.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
    }
    return map;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
