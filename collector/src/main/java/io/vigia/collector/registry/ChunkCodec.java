package io.vigia.collector.registry;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A sealed {@link History.Chunk} as bytes, for the store's blocks on disk (the body of a {@code
 * CHUNK} record, {@code docs/format/blocks.md}): the chunk's bits exactly as the history holds
 * them, so that sealing costs a copy and a restart adopts them without decoding a sample.
 *
 * <pre>
 * body    = version u8 (1) | cores varint | samples varint | minTime zigzag | maxTime zigzag
 *           | epochs varint | (epoch varint | lastSeq varint)*
 *           | shapes varint | shape* | words varint | word u64*   (big-endian)
 * shape   = flags u8 (1 cpu, 2 memory, 4 system)
 *           | fileSystems varint | (mount str | device str | type str | id varint)*
 *           | disks varint | (name str | id varint)* | interfaces varint | (name str | id varint)*
 * str     = varint length | UTF-8
 * </pre>
 *
 * <p>Stateless; safe for concurrent use.
 */
final class ChunkCodec {

  static final int VERSION = 1;

  private ChunkCodec() {}

  /** A chunk read back, with the processor count its CPU columns were written for. */
  record Decoded(int cores, History.Chunk chunk) {}

  static byte[] encode(History.Chunk chunk, int cores) {
    Out out = new Out(64 + 8 * chunk.bits().length);
    out.write(VERSION);
    out.varint(cores);
    out.varint(chunk.samples());
    out.zigzag(chunk.minTime());
    out.zigzag(chunk.maxTime());
    long[] epochs = chunk.epochs();
    out.varint(epochs.length / 2);
    for (long value : epochs) {
      out.varint(value);
    }
    out.varint(chunk.shapes().size());
    for (Shape shape : chunk.shapes()) {
      out.write((shape.cpu ? 1 : 0) | (shape.memory ? 2 : 0) | (shape.system ? 4 : 0));
      out.varint(shape.fileSystemIds.length);
      for (int i = 0; i < shape.fileSystemIds.length; i++) {
        out.string(shape.fileSystems[3 * i]);
        out.string(shape.fileSystems[3 * i + 1]);
        out.string(shape.fileSystems[3 * i + 2]);
        out.varint(shape.fileSystemIds[i]);
      }
      out.devices(shape.disks, shape.diskIds);
      out.devices(shape.interfaces, shape.interfaceIds);
    }
    out.varint(chunk.bits().length);
    for (long word : chunk.bits()) {
      out.word(word);
    }
    return out.toByteArray();
  }

  /**
   * @throws IllegalArgumentException if the bytes are not a chunk of a version this code reads
   */
  static Decoded decode(ByteBuffer body) {
    ByteBuffer in = body.duplicate();
    try {
      int version = in.get() & 0xff;
      if (version != VERSION) {
        throw new IllegalArgumentException("chunk of unknown version " + version);
      }
      int cores = count(in, 1 << 16);
      int samples = count(in, 1 << 20);
      long minTime = unzigzag(varint(in));
      long maxTime = unzigzag(varint(in));
      long[] epochs = new long[2 * count(in, 1 << 16)];
      for (int i = 0; i < epochs.length; i++) {
        epochs[i] = varint(in);
      }
      int shapeCount = count(in, 1 << 16);
      List<Shape> shapes = new ArrayList<>(shapeCount);
      for (int s = 0; s < shapeCount; s++) {
        int flags = in.get();
        int fsCount = count(in, Families.MAX_DEVICES);
        String[] fileSystems = new String[3 * fsCount];
        int[] fsIds = new int[fsCount];
        for (int i = 0; i < fsCount; i++) {
          fileSystems[3 * i] = string(in);
          fileSystems[3 * i + 1] = string(in);
          fileSystems[3 * i + 2] = string(in);
          fsIds[i] = count(in, Families.MAX_DEVICES - 1);
        }
        int diskCount = count(in, Families.MAX_DEVICES);
        String[] disks = new String[diskCount];
        int[] diskIds = devices(in, disks);
        int nicCount = count(in, Families.MAX_DEVICES);
        String[] nics = new String[nicCount];
        int[] nicIds = devices(in, nics);
        shapes.add(
            new Shape(
                (flags & 1) != 0,
                (flags & 2) != 0,
                (flags & 4) != 0,
                fileSystems,
                fsIds,
                disks,
                diskIds,
                nics,
                nicIds));
      }
      long[] bits = new long[count(in, in.remaining() / 8)];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = in.getLong();
      }
      if (samples == 0 || shapes.isEmpty()) {
        throw new IllegalArgumentException("chunk without samples");
      }
      return new Decoded(
          cores, new History.Chunk(bits, samples, List.copyOf(shapes), minTime, maxTime, epochs));
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("chunk cut short");
    }
  }

  private static int[] devices(ByteBuffer in, String[] names) {
    int[] ids = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      names[i] = string(in);
      ids[i] = count(in, Families.MAX_DEVICES - 1);
    }
    return ids;
  }

  private static int count(ByteBuffer in, int max) {
    long value = varint(in);
    if (value < 0 || value > max) {
      throw new IllegalArgumentException("chunk field out of range: " + value);
    }
    return (int) value;
  }

  private static String string(ByteBuffer in) {
    int length = count(in, in.remaining());
    byte[] bytes = new byte[length];
    in.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static long varint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }

  private static long unzigzag(long value) {
    return (value >>> 1) ^ -(value & 1);
  }

  /** A growing byte array with the writers the format needs. */
  private static final class Out extends ByteArrayOutputStream {
    Out(int size) {
      super(size);
    }

    void varint(long value) {
      while ((value & ~0x7fL) != 0) {
        write((int) ((value & 0x7f) | 0x80));
        value >>>= 7;
      }
      write((int) value);
    }

    void zigzag(long value) {
      varint((value << 1) ^ (value >> 63));
    }

    void string(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      varint(bytes.length);
      write(bytes, 0, bytes.length);
    }

    void devices(String[] names, int[] ids) {
      varint(ids.length);
      for (int i = 0; i < ids.length; i++) {
        string(names[i]);
        varint(ids[i]);
      }
    }

    void word(long w) {
      for (int shift = 56; shift >= 0; shift -= 8) {
        write((int) (w >>> shift));
      }
    }
  }
}
