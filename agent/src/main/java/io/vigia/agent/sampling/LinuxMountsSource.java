package io.vigia.agent.sampling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Lists mounted file systems from the mount table of the host (PID 1's, {@code /proc/1/mounts}) and
 * sizes each with {@code statvfs(3)} ({@link Statvfs}). Used on Linux instead of OSHI's file-store
 * list, which runs {@code lsblk} as a child process on every call and silently drops the pseudo
 * file systems an operator may ask for. The mount table is parsed from a reused buffer, and only
 * the mounts the sampler wants are sized (a system call each): most of a modern table is pseudo
 * file systems.
 *
 * <p>The host's table rather than this process's own: a sandboxed service (systemd's {@code
 * PrivateTmp=}, {@code ProtectHome=}) runs in a mount namespace of its own, where extra mounts
 * cover {@code /tmp} or {@code /home}; its own table would show those instead of the host's file
 * systems. A host mount is sized through its path here, so it is reported only where this process
 * sees the same file system at that path (same device and type in its own table); one this process
 * sees covered by another (an empty tmpfs over {@code /home}) is left out rather than reported with
 * the figures of what covers it. Without access to PID 1's table, the own table is used alone.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
public final class LinuxMountsSource implements FileSystemSource {

  /** One line of {@code /proc/self/mounts}. */
  record Mount(String device, String mount, String type) {}

  private final ProcFile table;
  // This process's own table, to check that a host mount is seen here as it is; null: same table.
  private final ProcFile ownTable;
  private final ProcText ownText = new ProcText();
  private byte[] lastOwnTable;
  private final ProcText text = new ProcText();
  private final DeviceNames names = new DeviceNames();
  private final Statvfs statvfs = new Statvfs();
  // The table as last read and parsed: it rarely changes, and parsing it is most of a round's work
  // for this family while the JIT has not compiled the parser yet.
  private byte[] lastTable;
  private List<Mount> lastMounts = List.of();

  public LinuxMountsSource() {
    this(
        java.nio.file.Files.isReadable(java.nio.file.Path.of(HOST_TABLE)) ? HOST_TABLE : OWN_TABLE,
        OWN_TABLE);
  }

  static final String HOST_TABLE = "/proc/1/mounts";
  static final String OWN_TABLE = "/proc/self/mounts";

  /**
   * @param mountsPath a mount table in the format of {@code /proc/self/mounts}
   */
  LinuxMountsSource(String mountsPath) {
    this(mountsPath, mountsPath);
  }

  /**
   * @param hostPath the host's mount table, whose file systems are reported
   * @param ownPath this process's own table, where each must be seen the same to be sized
   */
  LinuxMountsSource(String hostPath, String ownPath) {
    this.table = new ProcFile(hostPath, 8192);
    this.ownTable = hostPath.equals(ownPath) ? null : new ProcFile(ownPath, 8192);
  }

  @Override
  public List<FileSystemUsage> fileSystems() {
    return fileSystems((mount, type) -> true);
  }

  @Override
  public List<FileSystemUsage> fileSystems(Wanted wanted) {
    List<Mount> mounts = mounts();
    List<FileSystemUsage> result = new ArrayList<>();
    for (Mount mount : mounts) {
      if (!wanted.test(mount.mount(), mount.type())) {
        continue;
      }
      Statvfs.Usage usage = statvfs.of(mount.mount());
      if (usage == null) {
        continue; // gone since the table was read, or not ours to look at
      }
      result.add(
          new FileSystemUsage(
              mount.mount(),
              mount.device(),
              mount.type(),
              usage.size(),
              Math.max(0, usage.size() - usage.free()),
              usage.available(),
              usage.inodes(),
              Math.max(0, usage.inodes() - usage.inodesFree())));
    }
    return result;
  }

  /** The mount table now, parsed again only when its text changed since the last round. */
  private List<Mount> mounts() {
    ProcText current = table.read(text);
    boolean changed = !current.contentEquals(lastTable);
    if (changed) {
      lastTable = current.contentCopy();
    }
    ProcText own = ownTable == null ? null : ownTable.read(ownText);
    if (own != null && !own.contentEquals(lastOwnTable)) {
      lastOwnTable = own.contentCopy();
      changed = true;
    }
    if (changed) {
      List<Mount> host = parse(new ProcText().reset(lastTable, lastTable.length), names);
      lastMounts =
          lastOwnTable == null
              ? host
              : seenHere(
                  host, parse(new ProcText().reset(lastOwnTable, lastOwnTable.length), names));
    }
    return lastMounts;
  }

  /** The mounts of {@code host} that {@code own} (this process's table) shows the same. */
  static List<Mount> seenHere(List<Mount> host, List<Mount> own) {
    java.util.Map<String, Mount> here = new java.util.HashMap<>();
    for (Mount mount : own) {
      here.put(mount.mount(), mount);
    }
    List<Mount> seen = new ArrayList<>(host.size());
    for (Mount mount : host) {
      Mount local = here.get(mount.mount());
      if (local != null
          && local.device().equals(mount.device())
          && local.type().equals(mount.type())) {
        seen.add(mount);
      }
    }
    return seen;
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
