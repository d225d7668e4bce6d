package io.vigia.collector.identity;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The pins file in the collector's data directory, {@code docs/format/pins.md}: a text file, a
 * version line, then one line per agent id. Written whole to a temporary file, synced, and renamed
 * over the old one, so a crash leaves either the old file or the new one.
 */
final class PinFile {

  static final int VERSION = 1;
  static final String MAGIC = "vigia-pins";
  private static final HexFormat HEX = HexFormat.of();

  private PinFile() {}

  /** A pins file that cannot be used, with the file and line in its message. */
  static final class FormatException extends IOException {
    private static final long serialVersionUID = 1L;

    FormatException(String message) {
      super(message);
    }
  }

  /** The pins in {@code file}, none if it does not exist. */
  static List<Pin> read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    if (lines.isEmpty()) {
      throw new FormatException(file + " is empty; it should start with '" + MAGIC + " 1'");
    }
    String[] header = lines.get(0).split(" ", -1);
    if (header.length != 2 || !header[0].equals(MAGIC)) {
      throw new FormatException(file + " line 1: not a Vigia pins file");
    }
    int version;
    try {
      version = Integer.parseInt(header[1]);
    } catch (NumberFormatException e) {
      throw new FormatException(file + " line 1: bad version '" + header[1] + "'");
    }
    if (version > VERSION) {
      throw new FormatException(
          file
              + " is of version "
              + version
              + ", written by a newer collector; this one reads version "
              + VERSION
              + ": run the newer collector");
    }
    List<Pin> pins = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        pins.add(parse(line));
      } catch (IllegalArgumentException e) {
        throw new FormatException(file + " line " + (i + 1) + ": " + e.getMessage());
      }
    }
    return pins;
  }

  private static Pin parse(String line) {
    String[] f = line.split(" ", -1);
    if (f.length != 7) {
      throw new IllegalArgumentException("7 fields expected, found " + f.length);
    }
    return new Pin(
        decode(f[0]),
        decode(f[1]),
        Pin.Kind.valueOf(f[2].toUpperCase(Locale.ROOT)),
        Pin.State.valueOf(f[3].toUpperCase(Locale.ROOT)),
        f[6].equals("-") ? new byte[0] : HEX.parseHex(f[6]),
        Instant.ofEpochMilli(Long.parseLong(f[4])),
        Instant.ofEpochMilli(Long.parseLong(f[5])));
  }

  /** The file's bytes for {@code pins}. */
  static byte[] format(List<Pin> pins) {
    StringBuilder out = new StringBuilder();
    out.append(MAGIC).append(' ').append(VERSION).append('\n');
    out.append("# id hostname kind state enrolled-ms last-hello-ms sha256-of-credential\n");
    for (Pin pin : pins) {
      byte[] hash = pin.credentialHash();
      out.append(encode(pin.id()))
          .append(' ')
          .append(encode(pin.hostname()))
          .append(' ')
          .append(pin.kind().label())
          .append(' ')
          .append(pin.state().label())
          .append(' ')
          .append(pin.enrolledAt().toEpochMilli())
          .append(' ')
          .append(pin.lastHello().toEpochMilli())
          .append(' ')
          .append(hash.length == 0 ? "-" : HEX.formatHex(hash))
          .append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Replaces {@code file} with {@code pins}: write beside it, sync, rename, sync the directory. */
  static void write(Path file, List<Pin> pins) throws IOException {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out =
        FileChannel.open(
            temporary,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bytes = ByteBuffer.wrap(format(pins));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  /**
   * A field: UTF-8, with every byte outside printable ASCII, and space and {@code %}, as {@code
   * %XX}; the empty text as {@code -} (and a lone {@code -} as {@code %2D}).
   */
  static String encode(String text) {
    if (text.isEmpty()) {
      return "-";
    }
    if (text.equals("-")) {
      return "%2D";
    }
    StringBuilder out = new StringBuilder(text.length());
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c > 0x20 && c < 0x7f && c != '%') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX.withUpperCase().toHexDigits((byte) c));
      }
    }
    return out.toString();
  }

  static String decode(String field) {
    if (field.equals("-")) {
      return "";
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '%') {
        if (i + 3 > field.length()) {
          throw new IllegalArgumentException("a % without two hex digits in '" + field + "'");
        }
        bytes.write(HexFormat.fromHexDigits(field, i + 1, i + 3));
        i += 2;
      } else if (c > 0x20 && c < 0x7f) {
        bytes.write(c);
      } else {
        throw new IllegalArgumentException("a raw character " + (int) c + " in '" + field + "'");
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
