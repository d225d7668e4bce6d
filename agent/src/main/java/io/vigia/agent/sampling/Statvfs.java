package io.vigia.agent.sampling;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.platform.linux.LibC;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code statvfs(3)} for the file-system family: size, free and available bytes and inodes of the
 * file system a path is on.
 *
 * <p>On 64-bit Linux the C function is bound directly to a Java native method (JNA's direct
 * mapping), filling a {@code long[]} laid out as glibc's {@code struct statvfs}: a call costs the
 * system call and little else. JNA's {@code LibC.Statvfs} structure, which other platforms use,
 * copies each field in and out by reflection: about 14 µs a call once compiled, 200 µs before.
 *
 * <p>Not thread-safe: one sampling thread owns an instance.
 */
final class Statvfs {

  /** glibc's {@code struct statvfs} on LP64: eleven unsigned longs, then six ints of padding. */
  private static final int FIELDS = 14;

  private static final int F_FRSIZE = 1;
  private static final int F_BLOCKS = 2;
  private static final int F_BFREE = 3;
  private static final int F_BAVAIL = 4;
  private static final int F_FILES = 5;
  private static final int F_FFREE = 6;

  private final long[] direct;
  private LibC.Statvfs structure;

  Statvfs() {
    this(directlyBound());
  }

  /**
   * @param useDirect take the direct binding (only where {@link #directlyBound()}), else JNA's
   *     structure; tests compare the two
   */
  Statvfs(boolean useDirect) {
    this.direct = useDirect ? new long[FIELDS] : null;
  }

  /** True where the direct binding is made: 64-bit Linux. */
  static boolean directlyBound() {
    return Direct.BOUND;
  }

  /** One file system's figures, in bytes and inodes. */
  record Usage(long size, long free, long available, long inodes, long inodesFree) {}

  /** The figures of the file system {@code path} is on, or null if it cannot be read. */
  Usage of(String path) {
    if (direct != null) {
      if (Direct.statvfs(nulTerminated(path), direct) != 0) {
        return null;
      }
      return usage(
          direct[F_FRSIZE],
          direct[F_BLOCKS],
          direct[F_BFREE],
          direct[F_BAVAIL],
          direct[F_FILES],
          direct[F_FFREE]);
    }
    if (structure == null) {
      structure = new LibC.Statvfs();
    }
    if (LibC.INSTANCE.statvfs(path, structure) != 0) {
      return null;
    }
    return usage(
        structure.f_frsize.longValue(),
        structure.f_blocks.longValue(),
        structure.f_bfree.longValue(),
        structure.f_bavail.longValue(),
        structure.f_files.longValue(),
        structure.f_ffree.longValue());
  }

  /**
   * The path as C wants it: UTF-8, as the kernel spelled it in the mount table, and NUL-terminated.
   * JNA would encode a {@code String} in the JVM's native encoding instead, which is US-ASCII under
   * systemd without a locale: "données" would reach the kernel as "donn?es".
   */
  private static byte[] nulTerminated(String path) {
    byte[] utf8 = path.getBytes(StandardCharsets.UTF_8);
    return Arrays.copyOf(utf8, utf8.length + 1);
  }

  private static Usage usage(
      long fragment, long blocks, long free, long available, long inodes, long inodesFree) {
    long unit = fragment > 0 ? fragment : 1;
    return new Usage(blocks * unit, free * unit, available * unit, inodes, inodesFree);
  }

  /** The direct binding, made when first used and only where the layout above holds. */
  private static final class Direct {

    static final boolean BOUND = bind();

    private static boolean bind() {
      if (Native.LONG_SIZE != 8 || !System.getProperty("os.name", "").startsWith("Linux")) {
        return false;
      }
      try {
        Native.register(Direct.class, NativeLibrary.getProcess());
        return true;
      } catch (LinkageError e) {
        return false; // no statvfs symbol in this process: the structure path works everywhere
      }
    }

    static native int statvfs(byte[] path, long[] buffer);
  }
}
