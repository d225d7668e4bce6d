package io.vigia.collector.registry;

/**
 * Reads what a {@link BitWriter} wrote: a sealed chunk's words or the open chunk's.
 *
 * <p>Not thread-safe; one reader per read of a history.
 */
final class BitReader {

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
    return read(1) == 0 ? 0 : length(lengths, at);
  }

  /** A difference written by {@link BitWriter#putSizeDelta}. */
  long sizeDelta(byte[] lengths, int at) {
    if (read(1) == 0) {
      return 0;
    }
    return read(1) == 0 ? length(lengths, at) << 10 : length(lengths, at);
  }

  private long length(byte[] lengths, int at) {
    long w = peek();
    int n;
    if (w >= 0) { // 0: the same length
      n = lengths[at];
      position += 1;
    } else if (w << 1 >= 0) { // 10s: one more or less
      n = lengths[at] + (w << 2 < 0 ? -1 : 1);
      position += 3;
    } else if (w << 2 >= 0) { // 110sm: two or three more or less
      int change = 2 + (w << 4 < 0 ? 1 : 0);
      n = lengths[at] + (w << 3 < 0 ? -change : change);
      position += 5;
    } else { // 111 and the length
      n = (int) ((w >>> 55) & 0x3F) + 1;
      position += 9;
    }
    lengths[at] = (byte) n;
    long zz = n > 1 ? (1L << (n - 1)) | read(n - 1) : 1;
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
