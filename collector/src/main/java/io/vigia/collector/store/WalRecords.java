package io.vigia.collector.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The payloads of the write-ahead log's records ({@code docs/format/wal.md}). Every record starts
 * with the host's id; integers are unsigned LEB128 varints unless said otherwise.
 *
 * <pre>
 * HELLO  (1) = id | time u64 (ms, big-endian) | address (varint length, UTF-8) | Hello (protobuf, no token)
 * SAMPLE (2) = id | epoch varint | sample time varint (ms) | Snapshot (protobuf, as the agent sent it)
 * LINK   (3) = id | state u8 (1 left, 2 lost) | time u64 (ms, big-endian)
 * id         = varint length | UTF-8
 * </pre>
 */
final class WalRecords {

  static final int HELLO = 1;
  static final int SAMPLE = 2;
  static final int LINK = 3;

  static final int LEFT = 1;
  static final int LOST = 2;

  private WalRecords() {}

  static byte[] hello(String hostId, long timeMillis, String address, ByteBuffer hello) {
    byte[] id = hostId.getBytes(StandardCharsets.UTF_8);
    byte[] from = address.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(
            varintSize(id.length)
                + id.length
                + 8
                + varintSize(from.length)
                + from.length
                + hello.remaining());
    putBytes(out, id);
    out.putLong(timeMillis);
    putBytes(out, from);
    out.put(hello.duplicate());
    return out.array();
  }

  static byte[] sample(byte[] hostId, long epoch, long timeMillis, ByteBuffer snapshot) {
    byte[] out =
        new byte
            [varintSize(hostId.length)
                + hostId.length
                + varintSize(epoch)
                + varintSize(timeMillis)
                + snapshot.remaining()];
    ByteBuffer buffer = ByteBuffer.wrap(out);
    putBytes(buffer, hostId);
    putVarint(buffer, epoch);
    putVarint(buffer, timeMillis);
    buffer.put(snapshot.duplicate());
    return out;
  }

  static byte[] link(String hostId, boolean left, long timeMillis) {
    byte[] id = hostId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(varintSize(id.length) + id.length + 1 + 8);
    putBytes(out, id);
    out.put((byte) (left ? LEFT : LOST));
    out.putLong(timeMillis);
    return out.array();
  }

  /** Reads the string at {@code payload}'s position (the host id that starts every record). */
  static String string(ByteBuffer payload) {
    long length = getVarint(payload);
    if (length < 0 || length > payload.remaining()) {
      throw new IllegalArgumentException("string length out of range: " + length);
    }
    byte[] bytes = new byte[(int) length];
    payload.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void putBytes(ByteBuffer out, byte[] bytes) {
    putVarint(out, bytes.length);
    out.put(bytes);
  }

  static void putVarint(ByteBuffer out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.put((byte) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.put((byte) value);
  }

  static long getVarint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint longer than 10 bytes");
  }

  static int varintSize(long value) {
    int size = 1;
    while ((value & ~0x7FL) != 0) {
      value >>>= 7;
      size++;
    }
    return size;
  }
}
