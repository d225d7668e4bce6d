package io.vigia.agent.sampling;

import com.sun.jna.platform.linux.LibC;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists mounted file systems from {@code /proc/self/mounts} and sizes each with {@code statvfs(3)}
 * (through JNA, which OSHI brings). Used on Linux instead of OSHI's file-store list, which runs
 * {@code lsblk} as a child process on every call and silently drops the pseudo file systems an
 * operator may ask for. The mount table is parsed from a reused buffer, and only the mounts the
 * sampler wants are sized (a system call each): most of a modern table is pseudo file systems.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
public final class LinuxMountsSource implements FileSystemSource {

  private static final String MOUNTS = "/proc/self/mounts";

  /** One line of {@code /proc/self/mounts}. */
  record Mount(String device, String mount, String type) {}

  private final ProcFile table = new ProcFile(MOUNTS, 8192);
  private final ProcText text = new ProcText();
  private final DeviceNames names = new DeviceNames();
  private LibC.Statvfs stat;

  @Override
  public List<FileSystemUsage> fileSystems() {
    return fileSystems((mount, type) -> true);
  }

  @Override
  public List<FileSystemUsage> fileSystems(Wanted wanted) {
    List<Mount> mounts = parse(table.read(text), names);
    List<FileSystemUsage> result = new ArrayList<>();
    for (Mount mount : mounts) {
      if (!wanted.test(mount.mount(), mount.type())) {
        continue;
      }
      if (stat == null) {
        stat = new LibC.Statvfs();
      }
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
    return parse(ProcText.of(table), new DeviceNames());
  }

  static List<Mount> parse(ProcText text, DeviceNames names) {
    List<Mount> mounts = new ArrayList<>();
    while (!text.atEnd()) {
      String device = field(text, names);
      String mount = field(text, names);
      String type = field(text, names);
      if (device != null && mount != null && type != null) {
        mounts.add(new Mount(unescape(device), unescape(mount), type));
      }
      text.nextLine();
    }
    Set<String> seen = new HashSet<>();
    List<Mount> visible = new ArrayList<>(mounts.size());
    for (int i = mounts.size() - 1; i >= 0; i--) {
      if (seen.add(mounts.get(i).mount())) {
        visible.add(mounts.get(i));
      }
    }
    Collections.reverse(visible);
    return visible;
  }

  private static String field(ProcText text, DeviceNames names) {
    int from = text.tokenStart();
    int to = text.tokenEnd(' ');
    return to > from ? names.name(text, from, to) : null;
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
