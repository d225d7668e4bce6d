package io.vigia.collector.registry;

/**
 * Reads what a {@link BitWriter} wrote: a sealed chunk's words or the open chunk's.
 *
 * <p>Not thread-safe; one reader per read of a history.
 */
final class BitReader {

  // Per first 5 bits of a length code: its bit count << 8 | the change of length + CHANGE_BIAS.
  private static final int CHANGE_BIAS = 8;
  private static final int[] LENGTH_CODES = new int[32];

  static {
    for (int i = 0; i < 32; i++) {
      int entry;
      if (i < 16) {
        entry = 1 << 8 | CHANGE_BIAS;
      } else if (i < 24) {
        entry = 3 << 8 | (CHANGE_BIAS + ((i & 0b100) != 0 ? -1 : 1));
      } else if (i < 28) {
        int change = 2 + (i & 1);
        entry = 5 << 8 | (CHANGE_BIAS + ((i & 0b10) != 0 ? -change : change));
      } else {
        entry = 9 << 8;
      }
      LENGTH_CODES[i] = entry;
    }
  }

  private final long[] words;
  private long position;

  BitReader(long[] words) {
    this.words = words;
  }

  /** The next {@code n} bits (1 to 64) as an unsigned number. */
  long read(int n) {
    long value = peek();
    position += n;
    return value >>> (64 - n);
  }

  /** A difference written by {@link BitWriter#putDelta}. */
  long delta() {
    long w = peek();
    long zz;
    int ones = Long.numberOfLeadingZeros(~w);
    if (ones == 0) {
      position += 1;
      return 0;
    } else if (ones == 1) {
      zz = ((w >>> 58) & 0xF) + 1;
      position += 6;
    } else if (ones == 2) {
      zz = (w >>> 54) & 0x7F;
      position += 10;
    } else if (ones == 3) {
      zz = (w >>> 48) & 0xFFF;
      position += 16;
    } else if (ones == 4) {
      zz = (w >>> 39) & 0xF_FFFF;
      position += 25;
    } else {
      int n = (int) ((w >>> 53) & 0x3F) + 1;
      position += 11;
      zz = read(n);
    }
    return (zz >>> 1) ^ -(zz & 1);
  }

  /** A difference written by {@link BitWriter#putFigure}. */
  long figure(byte[] lengths, int at) {
    long w = peek();
    if (w >= 0) {
      position += 1;
      return 0;
    }
    return length(w << 1, 1, lengths, at);
  }

  /** A difference written by {@link BitWriter#putSizeDelta}. */
  long sizeDelta(byte[] lengths, int at) {
    long w = peek();
    if (w >= 0) {
      position += 1;
      return 0;
    }
    return w << 1 >= 0 ? length(w << 2, 2, lengths, at) << 10 : length(w << 2, 2, lengths, at);
  }

  /**
   * Reads a row written by {@link BitWriter#putRow}, adding each difference to its column.
   *
   * @param columns the columns' values, from {@code at}, updated
   * @param lengths the columns' last lengths, from {@code at}, updated
   */
  void readRow(long[] columns, byte[] lengths, int at, int count, int sizes) {
    for (int i = at; i < at + count; i++) {
      long w = peek();
      if (w >= 0) {
        position += 1;
      } else if (i - at >= sizes) {
        columns[i] += length(w << 1, 1, lengths, i);
      } else if (w << 1 >= 0) {
        columns[i] += length(w << 2, 2, lengths, i) << 10;
      } else {
        columns[i] += length(w << 2, 2, lengths, i);
      }
    }
  }

  /**
   * Reads the length code and bits of a difference.
   *
   * @param w the bits from the position on, less the {@code used} of the prefix
   */
  private long length(long w, int used, byte[] lengths, int at) {
    // By the code's first 5 bits: 0 the same length, 10s one more or less, 110sm two or three
    // more or less, 111 and 6 bits of length.
    int entry = LENGTH_CODES[(int) (w >>> 59)];
    int codeBits = entry >>> 8;
    int n =
        codeBits == 9 ? (int) ((w >>> 55) & 0x3F) + 1 : lengths[at] + (entry & 0xFF) - CHANGE_BIAS;
    lengths[at] = (byte) n;
    int rest = n - 1;
    int head = used + codeBits;
    long zz;
    if (rest == 0) {
      zz = 1;
      position += head;
    } else if (head + rest <= 64) {
      zz = (1L << rest) | ((w << codeBits) >>> (64 - rest));
      position += head + rest;
    } else {
      position += head;
      zz = (1L << rest) | read(rest);
    }
    return (zz >>> 1) ^ -(zz & 1);
  }

  /** The 64 bits from the position on, zeros past the end. */
  private long peek() {
    int index = (int) (position >>> 6);
    int offset = (int) (position & 63);
    long value = words[index] << offset;
    if (offset != 0 && index + 1 < words.length) {
      value |= words[index + 1] >>> (64 - offset);
    }
    return value;
  }
}
