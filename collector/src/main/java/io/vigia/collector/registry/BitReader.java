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
      zz = (w >>> 56) & 0x3F;
      position += 8;
    } else if (ones == 2) {
      zz = (w >>> 48) & 0x1FFF;
      position += 16;
    } else if (ones == 3) {
      zz = (w >>> 40) & 0xF_FFFF;
      position += 24;
    } else {
      int n = (int) ((w >>> 54) & 0x3F) + 1;
      position += 10;
      zz = read(n);
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
