package io.vigia.agent.sampling;

import com.sun.jna.platform.linux.LibC;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists mounted file systems from {@code /proc/self/mounts} and sizes each with {@code statvfs(3)}
 * (through JNA, which OSHI brings). Used on Linux instead of OSHI's file-store list, which runs
 * {@code lsblk} as a child process on every call and silently drops the pseudo file systems an
 * operator may ask for.
 */
public final class LinuxMountsSource implements FileSystemSource {

  private static final Path MOUNTS = Path.of("/proc/self/mounts");

  /** One line of {@code /proc/self/mounts}. */
  record Mount(String device, String mount, String type) {}

  @Override
  public List<FileSystemUsage> fileSystems() {
    String table;
    try {
      table = Files.readString(MOUNTS, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + MOUNTS, e);
    }
    List<FileSystemUsage> result = new ArrayList<>();
    LibC.Statvfs stat = new LibC.Statvfs();
    for (Mount mount : parse(table)) {
      if (LibC.INSTANCE.statvfs(mount.mount(), stat) != 0) {
        continue; // gone since the table was read, or not ours to look at
      }
      long fragment = stat.f_frsize.longValue() > 0 ? stat.f_frsize.longValue() : 1;
      long size = stat.f_blocks.longValue() * fragment;
      long unallocated = stat.f_bfree.longValue() * fragment;
      long available = stat.f_bavail.longValue() * fragment;
      long inodes = stat.f_files.longValue();
      long inodesFree = stat.f_ffree.longValue();
      result.add(
          new FileSystemUsage(
              mount.mount(),
              mount.device(),
              mount.type(),
              size,
              Math.max(0, size - unallocated),
              available,
              inodes,
              Math.max(0, inodes - inodesFree)));
    }
    return result;
  }

  /**
   * The mounts of a {@code /proc/self/mounts} text, each mount point once (the last mount over a
   * path is the one that is visible), with the kernel's octal escapes ({@code \040} for a space)
   * undone.
   */
  static List<Mount> parse(String table) {
    List<Mount> mounts = new ArrayList<>();
    for (String line : table.split("\n")) {
      String[] fields = line.trim().split("\\s+");
      if (fields.length < 3) {
        continue;
      }
      mounts.add(new Mount(unescape(fields[0]), unescape(fields[1]), fields[2]));
    }
    Set<String> seen = new HashSet<>();
    List<Mount> visible = new ArrayList<>();
    for (int i = mounts.size() - 1; i >= 0; i--) {
      if (seen.add(mounts.get(i).mount())) {
        visible.add(0, mounts.get(i));
      }
    }
    return visible;
  }

  static String unescape(String field) {
    if (field.indexOf('\\') < 0) {
      return field;
    }
    StringBuilder out = new StringBuilder(field.length());
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && isOctal(field, i + 1)) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isOctal(String s, int from) {
    if (from + 3 > s.length()) {
      return false;
    }
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }
}
