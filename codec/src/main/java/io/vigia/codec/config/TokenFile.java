package io.vigia.codec.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a shared secret (the fleet token, the HTTP bearer token) from a file: its text without the
 * trailing line break. The secret itself never appears in an error message.
 *
 * <pre>{@code
 * String token = TokenFile.read(Path.of("/etc/vigia/token")); // "s3cr3t" from "s3cr3t\n"
 * }</pre>
 */
public final class TokenFile {

  /** Larger files are not tokens: someone gave the wrong path. */
  public static final int MAX_BYTES = 4096;

  private TokenFile() {}

  /**
   * The token in {@code file}.
   *
   * @throws IOException if the file cannot be read, or is empty, too long, not UTF-8, or holds more
   *     than one line; the message names the file, never its content
   */
  public static String read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new IOException(
          file + " holds " + size + " bytes; a token file holds one line of at most " + MAX_BYTES);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IOException(file + " is not UTF-8 text", e);
    }
    String token = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text;
    token = token.endsWith("\n") ? token.substring(0, token.length() - 1) : token;
    if (token.isBlank()) {
      throw new IOException(file + " is empty; put the token on its first line");
    }
    if (token.contains("\n") || token.contains("\r")) {
      throw new IOException(file + " holds more than one line; a token file holds one");
    }
    if (!token.strip().equals(token)) {
      throw new IOException(file + ": the token starts or ends with spaces; remove them");
    }
    return token;
  }
}
