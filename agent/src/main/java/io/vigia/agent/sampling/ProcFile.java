package io.vigia.agent.sampling;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * One kernel text file ({@code /proc/stat}, {@code /proc/net/dev}, ...) read again and again into
 * the same byte buffer, without the garbage of {@code Files.readString} and a regex split per line.
 *
 * <p>The file stays open between reads: for the kernel's seq_file and sysfs files, reading again
 * from offset 0 produces the current content, so a round costs one {@code lseek} and one or two
 * {@code read} calls and allocates nothing. If a read fails (the file went away with its device),
 * the file is opened afresh once before giving up.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
final class ProcFile implements AutoCloseable {

  private final String path;
  private final LongSupplier nanoTicker;
  private RandomAccessFile file;
  private byte[] buffer;
  private int length;
  private long readAtNanos;
  private boolean fresh;

  ProcFile(String path) {
    this(path, 4096);
  }

  ProcFile(String path, int initialCapacity) {
    this(path, initialCapacity, System::nanoTime);
  }

  /**
   * @param nanoTicker a monotonic clock, for {@link #readShared}
   */
  ProcFile(String path, int initialCapacity, LongSupplier nanoTicker) {
    this.path = path;
    this.buffer = new byte[initialCapacity];
    this.nanoTicker = nanoTicker;
  }

  String path() {
    return path;
  }

  /**
   * Like {@link #read}, but when the file was read less than {@code maxAgeNanos} ago, scans that
   * content again instead: for two samplers of the same round that need the same file ({@code
   * /proc/stat}, whose generation walks every processor and interrupt).
   */
  ProcText readShared(ProcText into, long maxAgeNanos) {
    if (fresh && nanoTicker.getAsLong() - readAtNanos < maxAgeNanos) {
      return into.reset(buffer, length);
    }
    return read(into);
  }

  /**
   * Reads the whole file now and returns a scanner over its bytes, valid until the next read.
   *
   * @throws UncheckedIOException if the file cannot be opened or read
   */
  ProcText read(ProcText into) {
    fresh = false;
    try {
      length = readOnce();
    } catch (IOException first) {
      closeQuietly();
      try {
        length = readOnce();
      } catch (IOException second) {
        closeQuietly();
        second.addSuppressed(first);
        throw new UncheckedIOException("cannot read " + path, second);
      }
    }
    readAtNanos = nanoTicker.getAsLong();
    fresh = true;
    return into.reset(buffer, length);
  }

  private int readOnce() throws IOException {
    if (file == null) {
      file = new RandomAccessFile(path, "r");
    }
    file.seek(0);
    int total = 0;
    while (true) {
      if (total == buffer.length) {
        // A bigger machine than the buffer was sized for: grow once, keep it for later rounds.
        buffer = Arrays.copyOf(buffer, buffer.length * 2);
      }
      int n = file.read(buffer, total, buffer.length - total);
      if (n < 0) {
        return total;
      }
      total += n;
    }
  }

  private void closeQuietly() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException e) {
        // Nothing to do: it is being replaced or abandoned.
      }
      file = null;
    }
  }

  @Override
  public void close() {
    closeQuietly();
  }
}
