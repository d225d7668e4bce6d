package io.vigia.collector.registry;

import java.util.Arrays;

/**
 * A growable stream of bits, most significant first within each {@code long}, with the variable
 * length codes the history stores its numbers in. The open chunk of a {@link History} writes into
 * one and keeps it between chunks, so appending allocates only when a chunk needs more room than
 * the one before it.
 *
 * <p>Not thread-safe: its {@link History} guards it.
 */
final class BitWriter {

  // Per change of length -3..3: the code's bit count << 16 | the code.
  private static final int[] LENGTH_CODES = {
    5 << 16 | 0b11011,
    5 << 16 | 0b11010,
    3 << 16 | 0b101,
    1 << 16,
    3 << 16 | 0b100,
    5 << 16 | 0b11000,
    5 << 16 | 0b11001
  };
  // 111 and 6 bits of length.
  private static final int EXPLICIT = 9 << 16 | 0b111_000000;

  private long[] words;
  private long bits;

  BitWriter(int initialWords) {
    words = new long[Math.max(2, initialWords)];
  }

  /** Bits written since the last {@link #clear}. */
  long bits() {
    return bits;
  }

  /** The words written so far; valid up to {@link #bits()}. For readers of the open chunk. */
  long[] words() {
    return words;
  }

  /** Writes the low {@code n} bits of {@code value} (1 to 64; higher bits must be zero). */
  void write(long value, int n) {
    int index = (int) (bits >>> 6);
    if (index + 1 >= words.length) {
      // By a quarter: the buffer of every host's open chunk stays close to what a chunk needs.
      words = Arrays.copyOf(words, words.length + words.length / 4 + 2);
    }
    // Without branches: the value's bits left-aligned, split over this word and the next (which
    // holds nothing yet, so it may be overwritten).
    int offset = (int) (bits & 63);
    long aligned = value << (64 - n);
    words[index] |= aligned >>> offset;
    words[index + 1] = (aligned << 1) << (63 - offset);
    bits += n;
  }

  /**
   * Writes a signed difference in the history's code: zigzag (so small negatives are small too),
   * then {@code 0} for no change, {@code 10} and 4 bits up to ±8, {@code 110} and 7 bits up to ±63,
   * {@code 1110} and 12 bits, {@code 11110} and 20 bits, else {@code 11111}, 6 bits of length and
   * the bits themselves (at most 75 in all). A value that did not change costs one bit; a per-mille
   * step of a few, six.
   */
  void putDelta(long delta) {
    long zz = (delta << 1) ^ (delta >> 63);
    // Unsigned comparisons: the zigzag of a difference near Long.MIN_VALUE is "negative".
    if (zz == 0) {
      write(0, 1);
    } else if (zz - 1 >>> 4 == 0) {
      write(0x20L | (zz - 1), 6);
    } else if (zz >>> 7 == 0) {
      write(0x300L | zz, 10);
    } else if (zz >>> 12 == 0) {
      write(0xE000L | zz, 16);
    } else if (zz >>> 20 == 0) {
      write(0x1E0_0000L | zz, 25);
    } else {
      int n = 64 - Long.numberOfLeadingZeros(zz);
      write(0x7C0L | (n - 1), 11);
      write(zz, n);
    }
  }

  /**
   * Writes the difference of a figure from its column's previous value, coding its length against
   * the length of the column's previous difference: {@code 0} for no change, else {@code 1}, then
   * the bit length of its zigzag (the same as last time {@code 0}, one more or less {@code 10} and
   * the sign, two or three more or less {@code 110}, the sign and a bit, else {@code 111} and 6
   * bits of length), then that many bits but the leading one. A rate that moves by about the same
   * amount each sample so costs its significant bits and 2 to 6 more, whatever its size.
   *
   * @param lengths the columns' last lengths, updated
   */
  void putFigure(long delta, byte[] lengths, int at) {
    if (delta == 0) {
      write(0, 1);
    } else {
      putLength(delta, lengths, at, 1, 1);
    }
  }

  /**
   * Writes the difference of a size in bytes as {@link #putFigure} does, but one that is a multiple
   * of 1,024 (sizes the kernel counts in kilobytes, pages or blocks) divided by it: {@code 0} for
   * no change, else {@code 10} and the difference in kilobytes, or {@code 11} and in bytes.
   */
  void putSizeDelta(long delta, byte[] lengths, int at) {
    if (delta == 0) {
      write(0, 1);
    } else if ((delta & 1023) == 0) {
      putLength(delta >> 10, lengths, at, 2, 2);
    } else {
      putLength(delta, lengths, at, 3, 2);
    }
  }

  /**
   * Writes a row of figures, each as the difference from its column's previous value (which it then
   * replaces): the first {@code sizes} with {@link #putSizeDelta}, the rest with {@link
   * #putFigure}. One loop for a whole row keeps the coding in one compiled piece.
   *
   * @param last the columns' previous values, from {@code at}
   * @param lengths the columns' last lengths, from {@code at}
   */
  void putRow(long[] row, long[] last, byte[] lengths, int at, int count, int sizes) {
    for (int i = 0; i < count; i++) {
      long value = row[i];
      long delta = value - last[at + i];
      last[at + i] = value;
      if (delta == 0) {
        write(0, 1);
      } else if (i >= sizes) {
        putLength(delta, lengths, at + i, 1, 1);
      } else if ((delta & 1023) == 0) {
        putLength(delta >> 10, lengths, at + i, 2, 2);
      } else {
        putLength(delta, lengths, at + i, 3, 2);
      }
    }
  }

  private void putLength(long delta, byte[] lengths, int at, int prefix, int prefixBits) {
    long zz = (delta << 1) ^ (delta >> 63);
    int n = 64 - Long.numberOfLeadingZeros(zz);
    int change = n - lengths[at];
    lengths[at] = (byte) n;
    // The length code from a table by the change: its bits, and whether the length follows.
    int entry = change >= -3 && change <= 3 ? LENGTH_CODES[change + 3] : EXPLICIT;
    int codeBits = prefixBits + (entry >>> 16);
    long code =
        (long) prefix << (entry >>> 16) | (entry & 0xFFFF) | (entry == EXPLICIT ? n - 1 : 0);
    // The bits below the leading one, in the same write as the code when they fit.
    int rest = n - 1;
    if (codeBits + rest <= 64) {
      write(code << rest | (zz & ((1L << rest) - 1)), codeBits + rest);
    } else {
      write(code, codeBits);
      write(zz & ((1L << rest) - 1), rest);
    }
  }

  /** The bits written, in an array of exactly the words they need. */
  long[] seal() {
    return Arrays.copyOf(words, (int) ((bits + 63) >>> 6));
  }

  /**
   * Empties the stream for the next chunk, keeping its array unless it is well beyond what this
   * chunk needed (then one an eighth larger than that), so a host keeps about one chunk's worth.
   */
  void clear() {
    int used = (int) ((bits + 63) >>> 6);
    int fit = used + used / 8 + 2;
    if (words.length > fit + fit / 4) {
      words = new long[fit];
    } else {
      Arrays.fill(words, 0, Math.min(words.length, used + 1), 0L);
    }
    bits = 0;
  }
}
