package io.vigia.journal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The bytes of a journal segment, as {@code docs/format/journal.md} describes them.
 *
 * <pre>
 * segment = header record*
 * header  = magic "VGJL" (4) | version u16 | kind u8 | reserved u8 | segment number u64   (16 bytes)
 * record  = length u32 | crc32c u32 | type u8 | payload (length bytes)
 *           crc32c covers type and payload; length counts the payload only; big-endian
 * </pre>
 *
 * <p>A record never spans two segments, so a whole segment can be deleted without cutting one.
 */
public final class JournalFormat {

  /** "VGJL". */
  static final int MAGIC = 0x56474A4C;

  /** The format version this code writes, and the newest it reads. */
  public static final int VERSION = 1;

  static final int HEADER_BYTES = 16;
  static final int RECORD_HEADER_BYTES = 9;

  /** Record types 1 to 127 are the owner's; 0 never starts a record, so zeroed bytes are torn. */
  static final int MIN_TYPE = 1;

  static final int MAX_TYPE = 127;

  /** What a journal holds; the header says it, so one kind is never read as another. */
  public enum Kind {
    /** The collector's write-ahead log. */
    COLLECTOR_WAL(1),
    /** The agent's spool of samples not yet acknowledged. */
    AGENT_SPOOL(2),
    /** The collector's blocks: its hosts' sealed history chunks. */
    COLLECTOR_BLOCKS(3);

    final int code;

    Kind(int code) {
      this.code = code;
    }

    static Kind of(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      return null;
    }
  }

  private JournalFormat() {}

  static ByteBuffer header(Kind kind, long segment) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
    header.putInt(MAGIC).putShort((short) VERSION).put((byte) kind.code).put((byte) 0);
    header.putLong(segment).flip();
    return header;
  }

  /**
   * Checks a segment's header.
   *
   * @throws JournalFormatException if it is not a journal segment, of another kind, or of a newer
   *     version than this code reads
   */
  static void checkHeader(Path file, ByteBuffer bytes, Kind kind) throws JournalFormatException {
    if (bytes.remaining() < HEADER_BYTES || bytes.getInt(bytes.position()) != MAGIC) {
      throw new JournalFormatException(file + " is not a Vigia journal segment (no header)");
    }
    int version = Short.toUnsignedInt(bytes.getShort(bytes.position() + 4));
    if (version > VERSION) {
      throw new JournalFormatException(
          file
              + " was written in journal format version "
              + version
              + ", newer than this program reads ("
              + VERSION
              + "); run a newer release, or move the directory away to start empty");
    }
    Kind found = Kind.of(Byte.toUnsignedInt(bytes.get(bytes.position() + 6)));
    if (found != kind) {
      throw new JournalFormatException(
          file
              + " holds "
              + (found == null ? "an unknown kind of journal" : found)
              + ", not "
              + kind
              + "; point this program at its own directory");
    }
  }

  static int crc(int type, ByteBuffer payload) {
    CRC32C crc = new CRC32C();
    crc.update(type);
    crc.update(payload.duplicate());
    return (int) crc.getValue();
  }

  /** A segment's file name: its number in 16 digits, so names sort as numbers do. */
  static String fileName(long segment) {
    return String.format("%016d.seg", segment);
  }

  /** The number in a segment's file name, or -1 if the name is not a segment's. */
  static long segmentNumber(String fileName) {
    if (fileName.length() != 20 || !fileName.endsWith(".seg")) {
      return -1;
    }
    long number = 0;
    for (int i = 0; i < 16; i++) {
      char c = fileName.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      number = number * 10 + (c - '0');
    }
    return number;
  }
}
