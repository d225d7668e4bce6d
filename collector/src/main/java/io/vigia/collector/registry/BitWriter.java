package io.vigia.collector.registry;

import java.util.Arrays;

/**
 * A growable stream of bits, most significant first within each {@code long}, with the variable
 * length code the history stores its numbers in (see {@link #putZigzag}). The open chunk of a
 * {@link History} writes into one and keeps it between chunks, so appending allocates only when a
 * chunk needs more room than any before it.
 *
 * <p>Not thread-safe: its {@link History} guards it.
 */
final class BitWriter {

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
      words = Arrays.copyOf(words, words.length * 2);
    }
    int free = 64 - (int) (bits & 63);
    if (n <= free) {
      words[index] |= value << (free - n);
    } else {
      words[index] |= value >>> (n - free);
      words[index + 1] = value << (64 - (n - free));
    }
    bits += n;
  }

  /**
   * Writes a signed difference in the history's code: zigzag (so small negatives are small too),
   * then {@code 0} for no change, {@code 10} and 6 bits below 64, {@code 110} and 13 bits, {@code
   * 1110} and 20 bits, else {@code 1111}, 6 bits of length and the bits themselves (up to 74 in
   * all). A value that did not change costs one bit; a per-mille step of a few, one byte.
   */
  void putDelta(long delta) {
    long zz = (delta << 1) ^ (delta >> 63);
    if (zz == 0) {
      write(0, 1);
    } else if (zz >>> 6 == 0) { // unsigned: the zigzag of Long.MIN_VALUE's neighbours is huge
      write(0x80L | zz, 8);
    } else if (zz >>> 13 == 0) {
      write(0xC000L | zz, 16);
    } else if (zz >>> 20 == 0) {
      write(0xE0_0000L | zz, 24);
    } else {
      int n = 64 - Long.numberOfLeadingZeros(zz);
      write(0x3C0L | (n - 1), 10);
      write(zz, n);
    }
  }

  /** The bits written, in an array of exactly the words they need. */
  long[] seal() {
    return Arrays.copyOf(words, (int) ((bits + 63) >>> 6));
  }

  /** Empties the stream, keeping its array for the next chunk. */
  void clear() {
    Arrays.fill(words, 0, Math.min(words.length, (int) (bits >>> 6) + 2), 0L);
    bits = 0;
  }
}
