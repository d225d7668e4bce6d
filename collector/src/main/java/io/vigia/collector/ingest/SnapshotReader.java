package io.vigia.collector.ingest;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Reads the bytes of a {@code Snapshot} straight into a {@link RawSnapshot}, without building the
 * generated messages: no message objects, no lists of boxed values, and no UTF-8 decoding, new
 * String or hash for a device name whose bytes are those of the same position in the link's last
 * snapshot (the known String is reused, already checked).
 *
 * <p>It reads what the schema's encoders write, fields in any order, unknown fields skipped,
 * repeated scalars packed or not. Anything else it leaves to protobuf's own parser by returning
 * false: a truncated or malformed field, a known field number with another wire type, a message
 * field that occurs twice (protobuf merges them), a group, invalid UTF-8. So both paths accept and
 * reject the same bytes, and the fallback decides every error about the encoding.
 *
 * <p>Not thread-safe: one per link, confined to its event loop.
 */
final class SnapshotReader {

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LEN = 2;
  private static final int FIXED32 = 5;

  /** Thrown to leave a frame to the fallback; preallocated, as it carries no information. */
  private static final class Bail extends Exception {
    private static final long serialVersionUID = 1L;

    Bail() {
      super(null, null, false, false);
    }
  }

  private static final Bail BAIL = new Bail();

  private final RawSnapshot.Device spare = new RawSnapshot.Device();
  // Strict, as protobuf is: malformed UTF-8 is an error, not a replacement character.
  private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder();
  private ByteBuf buf;
  private int pos;

  /**
   * Reads {@code buf}'s bytes from {@code from} to {@code to} (one Snapshot) into {@code raw}.
   *
   * @return false if the bytes are not in the form this reader takes; {@code raw} is then
   *     incomplete, and the caller parses them with protobuf instead
   */
  boolean read(ByteBuf buf, int from, int to, RawSnapshot raw) {
    this.buf = buf;
    this.pos = from;
    raw.clear();
    try {
      snapshot(to, raw);
      return true;
    } catch (Bail | IndexOutOfBoundsException e) {
      return false;
    } finally {
      this.buf = null;
    }
  }

  private void snapshot(int end, RawSnapshot raw) throws Bail {
    while (pos < end) {
      int tag = tag(end);
      int field = tag >>> 3;
      int type = tag & 7;
      switch (field) {
        case 1 -> raw.seq = varint(type, end);
        case 2 -> raw.timeMs = varint(type, end);
        case 3 -> raw.intervalMs = (int) varint(type, end);
        case 4 -> {
          if (raw.hasCpu) {
            throw BAIL;
          }
          raw.hasCpu = true;
          cpu(message(type, end), raw);
        }
        case 5 -> {
          long v = varint(type, end);
          raw.timeSkewMs = (v >>> 1) ^ -(v & 1);
          raw.compactTime = true;
        }
        case 6 -> {
          int v = (int) varint(type, end);
          raw.intervalSkewMs = (v >>> 1) ^ -(v & 1);
        }
        case 10 -> {
          if (raw.hasMemory) {
            throw BAIL;
          }
          raw.hasMemory = true;
          raw.memoryPresent = values(message(type, end), raw.memory, -1, 0);
        }
        case 11 -> {
          if (raw.hasSystem) {
            throw BAIL;
          }
          raw.hasSystem = true;
          // Fields 1, 2, 3, 5 and 6 are uint32.
          raw.systemPresent = values(message(type, end), raw.system, -1, 0b1101110);
        }
        case 12 -> device(message(type, end), orSpare(raw.nextFileSystem()), 3, 8, 0);
        case 13 -> device(message(type, end), orSpare(raw.nextDisk()), 1, 6, 1 << 6);
        case 14 -> device(message(type, end), orSpare(raw.nextInterface()), 1, 10, 0);
        case 30 -> raw.spoolDropped = varint(type, end);
        default -> skip(type, end);
      }
    }
    if (pos != end) {
      throw BAIL;
    }
  }

  private void cpu(int end, RawSnapshot raw) throws Bail {
    while (pos < end) {
      int tag = tag(end);
      int field = tag >>> 3;
      int type = tag & 7;
      switch (field) {
        case 1 -> raw.busy = (int) varint(type, end);
        case 2 -> {
          if (type == LEN) {
            int packedEnd = length(end);
            while (pos < packedEnd) {
              raw.addCore((int) rawVarint(packedEnd));
            }
          } else {
            raw.addCore((int) varint(type, end));
          }
        }
        case 3, 4, 5, 6, 7, 8, 9, 10 -> raw.modes[field - 3] = (int) varint(type, end);
        case 11 -> {
          if (type == LEN) {
            int packedEnd = length(end);
            while (pos < packedEnd) {
              raw.addPackedMode((int) rawVarint(packedEnd));
            }
          } else {
            raw.addPackedMode((int) varint(type, end));
          }
        }
        default -> skip(type, end);
      }
    }
  }

  /**
   * Reads a message of varint fields into {@code values[field + offset]}, for the fields that fit.
   *
   * @param uint32Fields bit n: field n is a uint32, kept as protobuf's signed int
   * @return a bit per field present
   */
  private int values(int end, long[] values, int offset, int uint32Fields) throws Bail {
    int present = 0;
    while (pos < end) {
      int tag = tag(end);
      int field = tag >>> 3;
      int index = field + offset;
      if (field >= 1 && index < values.length) {
        long v = varint(tag & 7, end);
        values[index] = (uint32Fields & 1 << field) != 0 ? (long) (int) v : v;
        present |= 1 << field;
      } else {
        skip(tag & 7, end);
      }
    }
    return present;
  }

  /**
   * Reads a file system, disk or interface: string fields 1..{@code names}, then varint fields up
   * to {@code lastField} into {@code values[field]}.
   */
  private void device(int end, RawSnapshot.Device d, int names, int lastField, int uint32Fields)
      throws Bail {
    while (pos < end) {
      int tag = tag(end);
      int field = tag >>> 3;
      int type = tag & 7;
      if (field >= 1 && field <= names) {
        name(type, end, d, field - 1);
      } else if (field > names && field <= lastField) {
        long v = varint(type, end);
        d.values[field] = (uint32Fields & 1 << field) != 0 ? (long) (int) v : v;
        d.present |= 1 << field;
      } else {
        skip(type, end);
      }
    }
  }

  private void name(int type, int end, RawSnapshot.Device d, int slot) throws Bail {
    if (type != LEN) {
      throw BAIL;
    }
    int length = length(end) - pos;
    byte[] known = d.nameBytes[slot];
    if (known != null && known.length == length && sameBytes(known)) {
      d.names[slot] = d.known[slot];
    } else {
      byte[] bytes = new byte[length];
      buf.getBytes(pos, bytes);
      String name;
      try {
        name = utf8.decode(ByteBuffer.wrap(bytes)).toString();
      } catch (CharacterCodingException e) {
        throw BAIL;
      }
      d.nameBytes[slot] = bytes;
      d.known[slot] = name;
      d.names[slot] = name;
    }
    pos += length;
  }

  private boolean sameBytes(byte[] known) {
    for (int i = 0; i < known.length; i++) {
      if (buf.getByte(pos + i) != known[i]) {
        return false;
      }
    }
    return true;
  }

  private RawSnapshot.Device orSpare(RawSnapshot.Device d) {
    if (d != null) {
      return d;
    }
    // Past the devices kept: read, so that bad bytes are still found, then forgotten.
    spare.clearValues();
    return spare;
  }

  // ---- wire primitives ----

  private int tag(int end) throws Bail {
    long tag = rawVarint(end);
    if (tag >>> 3 == 0 || tag > Integer.MAX_VALUE) {
      throw BAIL;
    }
    return (int) tag;
  }

  /** A varint field's value; any other wire type is left to protobuf. */
  private long varint(int type, int end) throws Bail {
    if (type != VARINT) {
      throw BAIL;
    }
    return rawVarint(end);
  }

  /** A message field: returns where it ends, with {@code pos} at its first byte. */
  private int message(int type, int end) throws Bail {
    if (type != LEN) {
      throw BAIL;
    }
    return length(end);
  }

  /** Reads a length and returns the end of the bytes it announces, within {@code end}. */
  private int length(int end) throws Bail {
    long length = rawVarint(end);
    if (length < 0 || length > end - pos) {
      throw BAIL;
    }
    return pos + (int) length;
  }

  private long rawVarint(int end) throws Bail {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw BAIL;
      }
      byte b = buf.getByte(pos++);
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw BAIL;
  }

  private void skip(int type, int end) throws Bail {
    switch (type) {
      case VARINT -> rawVarint(end);
      case FIXED64 -> advance(8, end);
      case LEN -> pos = length(end);
      case FIXED32 -> advance(4, end);
      default -> throw BAIL;
    }
  }

  private void advance(int bytes, int end) throws Bail {
    if (end - pos < bytes) {
      throw BAIL;
    }
    pos += bytes;
  }
}
