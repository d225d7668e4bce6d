package io.vigia.agent.sampling;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over the bytes of a kernel text file, with the few operations the {@code /proc} parsers
 * need: skip blanks, read a decimal number, compare a word, go to the next line. It allocates
 * nothing except where a parser asks for a {@link String} (a device name it has not seen before).
 *
 * <p>Numbers are unsigned decimal, as the kernel prints its counters; a field that is not a number
 * reads as -1, and one too long for a {@code long} saturates at {@link Long#MAX_VALUE}.
 *
 * <p>Not thread-safe: a parser owns one and reuses it.
 */
final class ProcText {

  private byte[] bytes = new byte[0];
  private int end;
  private int pos;

  ProcText reset(byte[] bytes, int length) {
    this.bytes = bytes;
    this.end = length;
    this.pos = 0;
    return this;
  }

  /** A scanner over the ASCII of {@code text}; for tests. */
  static ProcText of(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return new ProcText().reset(b, b.length);
  }

  boolean atEnd() {
    return pos >= end;
  }

  /** True at the end of the text or of the current line. */
  boolean atLineEnd() {
    return pos >= end || bytes[pos] == '\n';
  }

  /** Moves past the next newline (or to the end). */
  void nextLine() {
    while (pos < end && bytes[pos] != '\n') {
      pos++;
    }
    if (pos < end) {
      pos++;
    }
  }

  /** Skips spaces and tabs, not newlines. */
  void skipBlanks() {
    while (pos < end && (bytes[pos] == ' ' || bytes[pos] == '\t')) {
      pos++;
    }
  }

  /** Skips up to and including {@code c} on this line; false if the line has none. */
  boolean skipPast(char c) {
    while (pos < end && bytes[pos] != '\n') {
      if (bytes[pos++] == c) {
        return true;
      }
    }
    return false;
  }

  /** True if the current position starts with {@code word} (ASCII); does not move. */
  boolean startsWith(byte[] word) {
    if (end - pos < word.length) {
      return false;
    }
    for (int i = 0; i < word.length; i++) {
      if (bytes[pos + i] != word[i]) {
        return false;
      }
    }
    return true;
  }

  /** Moves past {@code word} if the current position starts with it. */
  boolean consume(byte[] word) {
    if (startsWith(word)) {
      pos += word.length;
      return true;
    }
    return false;
  }

  /** True if the byte at the current position is an ASCII digit. */
  boolean atDigit() {
    return pos < end && bytes[pos] >= '0' && bytes[pos] <= '9';
  }

  /**
   * Skips blanks and reads an unsigned decimal number; -1 if there is none here (the field is
   * skipped so the next call reads the next one).
   */
  long nextLong() {
    skipBlanks();
    if (!atDigit()) {
      skipToken();
      return -1;
    }
    long value = 0;
    while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
      int digit = bytes[pos++] - '0';
      value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
    }
    if (pos < end && bytes[pos] == '.') {
      // A fraction (/proc/uptime): whole units are enough.
      pos++;
      while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
        pos++;
      }
    }
    return value;
  }

  /**
   * Skips blanks and reads a decimal number with an optional fraction, such as a load average
   * ("0.42"); -1 if there is none here.
   */
  double nextDecimal() {
    skipBlanks();
    if (!atDigit()) {
      skipToken();
      return -1;
    }
    long whole = 0;
    while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
      whole = Math.min(whole * 10 + (bytes[pos++] - '0'), Long.MAX_VALUE / 10);
    }
    long fraction = 0;
    long scale = 1;
    if (pos < end && bytes[pos] == '.') {
      pos++;
      while (pos < end && bytes[pos] >= '0' && bytes[pos] <= '9') {
        if (scale < 1_000_000_000L) {
          fraction = fraction * 10 + (bytes[pos] - '0');
          scale *= 10;
        }
        pos++;
      }
    }
    // One division, so "1.74" is the double nearest 1.74, as Double.parseDouble would give.
    return whole + (double) fraction / scale;
  }

  /** Skips blanks and reads a hexadecimal number with an optional "0x"; -1 if there is none. */
  long nextHex() {
    skipBlanks();
    if (pos + 1 < end && bytes[pos] == '0' && (bytes[pos + 1] == 'x' || bytes[pos + 1] == 'X')) {
      pos += 2;
    }
    long value = 0;
    int digits = 0;
    while (pos < end && digits < 15) {
      int digit = Character.digit(bytes[pos], 16);
      if (digit < 0) {
        break;
      }
      value = value * 16 + digit;
      digits++;
      pos++;
    }
    return digits == 0 ? -1 : value;
  }

  /** Skips blanks, then one run of non-blank characters on this line. */
  void skipToken() {
    skipBlanks();
    while (pos < end && bytes[pos] != ' ' && bytes[pos] != '\t' && bytes[pos] != '\n') {
      pos++;
    }
  }

  /** Skips blanks; the position where the next token starts. */
  int tokenStart() {
    skipBlanks();
    return pos;
  }

  /** Moves to the end of the token that starts here, stopping also at {@code stop}. */
  int tokenEnd(char stop) {
    while (pos < end
        && bytes[pos] != ' '
        && bytes[pos] != '\t'
        && bytes[pos] != '\n'
        && bytes[pos] != stop) {
      pos++;
    }
    return pos;
  }

  /**
   * True if the bytes from {@code from} to {@code to} spell {@code s} (ASCII or UTF-8). A name that
   * differs in an ASCII character is told apart at that character, without decoding anything: the
   * lookups of {@link DeviceNames} try many names before the one that matches.
   */
  boolean regionEquals(int from, int to, String s) {
    int n = to - from;
    int common = Math.min(n, s.length());
    for (int i = 0; i < common; i++) {
      byte b = bytes[from + i];
      char c = s.charAt(i);
      if (b < 0 || c >= 0x80) {
        return s.equals(string(from, to)); // not ASCII from here on: compare decoded
      }
      if (b != c) {
        return false;
      }
    }
    // Every character so far was ASCII and equal, so the shorter one is a prefix of the longer.
    return n == s.length();
  }

  /** True if this text's bytes (all of them, wherever the cursor is) are those of {@code other}. */
  boolean contentEquals(byte[] other) {
    return other != null && Arrays.equals(bytes, 0, end, other, 0, other.length);
  }

  /** A copy of this text's bytes, for {@link #contentEquals} in a later round. */
  byte[] contentCopy() {
    return Arrays.copyOf(bytes, end);
  }

  String string(int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
  }

  byte byteAt(int index) {
    return bytes[index];
  }

  int position() {
    return pos;
  }
}
