package io.vigia.agent.sampling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the traffic counters of every network interface from {@code /proc/net/dev}, and each one's
 * state from {@code /sys/class/net/NAME/operstate} and {@code flags} (Linux). Up means
 * operationally up, or, for loopback (whose operational state the kernel leaves "unknown"),
 * administratively up, as before with OSHI.
 *
 * <p>Every interface the kernel lists is reported, those without an address too (OSHI, going
 * through {@code java.net.NetworkInterface}, listed only interfaces with an address), so a link
 * that goes down and loses its address stays visible as down.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
final class ProcInterfaceSource implements InterfaceSource {

  static final int IFF_UP = 0x1;
  static final int IFF_LOOPBACK = 0x8;
  private static final byte[] UP = {'u', 'p'};

  private final ProcFile netDev;
  private final String sysNet;
  private final ProcText text = new ProcText();
  private final ProcText small = new ProcText();
  private final DeviceNames names = new DeviceNames();
  private final Map<String, SysFiles> sysFiles = new HashMap<>();

  /** The two sysfs files of one interface, kept open while the interface exists. */
  private record SysFiles(ProcFile operstate, ProcFile flags) {}

  /** One line of {@code /proc/net/dev}: the name and its sixteen counters. */
  record Line(String name, long[] counters) {}

  /**
   * @param root "" for the real machine, or a folder that mimics its /proc and /sys (tests)
   */
  ProcInterfaceSource(String root) {
    this.netDev = new ProcFile(root + "/proc/net/dev", 4096);
    this.sysNet = root + "/sys/class/net/";
  }

  @Override
  public List<InterfaceReading> interfaces() {
    List<Line> lines = parse(netDev.read(text), names);
    List<InterfaceReading> readings = new ArrayList<>(lines.size());
    for (Line line : lines) {
      SysFiles files = sysFiles.computeIfAbsent(line.name(), this::open);
      long flags = readFlags(files.flags());
      boolean operUp = readOperUp(files.operstate());
      boolean loopback = flags >= 0 && (flags & IFF_LOOPBACK) != 0;
      boolean adminUp = flags >= 0 && (flags & IFF_UP) != 0;
      long[] c = line.counters();
      readings.add(
          new InterfaceReading(
              line.name(),
              operUp || (loopback && adminUp),
              loopback,
              c[0],
              c[8],
              c[1],
              c[9],
              c[2],
              c[10],
              c[3],
              c[11]));
    }
    if (sysFiles.size() > lines.size()) {
      // Interfaces that vanished: close their files.
      sysFiles
          .entrySet()
          .removeIf(
              e -> {
                for (Line line : lines) {
                  if (line.name().equals(e.getKey())) {
                    return false;
                  }
                }
                e.getValue().operstate().close();
                e.getValue().flags().close();
                return true;
              });
    }
    return readings;
  }

  private SysFiles open(String name) {
    return new SysFiles(
        new ProcFile(sysNet + name + "/operstate", 32), new ProcFile(sysNet + name + "/flags", 32));
  }

  private long readFlags(ProcFile flags) {
    try {
      return flags.read(small).nextHex();
    } catch (RuntimeException e) {
      return -1; // gone between the two reads, or no sysfs here: state unknown, counters still go
    }
  }

  private boolean readOperUp(ProcFile operstate) {
    try {
      ProcText state = operstate.read(small);
      state.skipBlanks();
      return state.consume(UP) && state.atLineEnd();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * The interfaces of a {@code /proc/net/dev} text: after the two header lines, "NAME:" and eight
   * receive then eight transmit counters (bytes, packets, errs, drop, fifo, frame/colls,
   * compressed, multicast/carrier).
   */
  static List<Line> parse(ProcText text, DeviceNames names) {
    List<Line> lines = new ArrayList<>();
    text.nextLine();
    text.nextLine();
    while (!text.atEnd()) {
      int from = text.tokenStart();
      int to = text.tokenEnd(':');
      if (to > from && text.skipPast(':')) {
        long[] counters = new long[16];
        for (int i = 0; i < counters.length; i++) {
          counters[i] = text.atLineEnd() ? -1 : text.nextLong();
        }
        lines.add(new Line(names.name(text, from, to), counters));
      }
      text.nextLine();
    }
    return lines;
  }
}
