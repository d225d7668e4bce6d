package io.vigia.collector.cli;

import com.google.protobuf.util.Timestamps;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiDisk;
import io.vigia.proto.ApiFileSystem;
import io.vigia.proto.ApiInterface;
import io.vigia.proto.ApiMemory;
import io.vigia.proto.ApiSystem;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders one host's latest sample as a block for a person at a terminal: one line per family for
 * CPU, load, memory and swap, and aligned tables for file systems, disks and interfaces. Sizes and
 * rates are in binary units (KiB, MiB/s); a rate the agent could not measure shows as "-".
 */
final class HostReport {

  private static final String[] SIZE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private HostReport() {}

  /**
   * How delivery went: samples the agent had to drop (its spool overflowed while no collector took
   * them), replays the collector ignored, and links opened.
   */
  static String delivery(ApiAgent agent) {
    return "Delivery: "
        + (agent.getSpoolDropped() == 0
            ? "nothing dropped"
            : agent.getSpoolDropped()
                + " samples dropped by the agent (its spool was full while the collector was"
                + " unreachable)")
        + ", "
        + agent.getDuplicates()
        + (agent.getDuplicates() == 1 ? " replay" : " replays")
        + " ignored, "
        + agent.getLinks()
        + (agent.getLinks() == 1 ? " link" : " links")
        + " since the collector started";
  }

  /**
   * The agent's spool on disk as its latest link started, or null if it said nothing of one (no
   * disk spool, an older agent).
   */
  static String spool(ApiAgent agent) {
    if (agent.getSpoolDiskBytes() == 0 && agent.getSpoolRecovered() == 0) {
      return null;
    }
    return "Agent spool on disk: "
        + bytes(agent.getSpoolDiskBytes())
        + (agent.hasSpoolOldest()
            ? ", oldest sample " + Instant.ofEpochMilli(Timestamps.toMillis(agent.getSpoolOldest()))
            : ", no sample waiting")
        + " at the last connect, "
        + agent.getSpoolRecovered()
        + " samples recovered from disk at the agent's start";
  }

  static String render(ApiAgent agent, Instant now) {
    StringBuilder out = new StringBuilder();
    out.append(agent.getId())
        .append("  (")
        .append(agent.getHostname())
        .append(", ")
        .append(agent.getOs())
        .append(")\n");
    out.append(agent.getState().name())
        .append(", last seen ")
        .append(
            AgentsTable.age(
                Duration.between(
                    Instant.ofEpochMilli(Timestamps.toMillis(agent.getLastSeen())), now)))
        .append(", sample ")
        .append(agent.getLastSeq())
        .append(" every ")
        .append(String.format(Locale.ROOT, "%.1fs", agent.getIntervalMs() / 1000.0))
        .append('\n');
    out.append(delivery(agent)).append('\n');
    String spool = spool(agent);
    if (spool != null) {
      out.append(spool).append('\n');
    }
    if (agent.getSamples() == 0) {
      out.append("\nNo samples yet: the first arrives one interval after the agent connects.\n");
      return out.toString();
    }
    List<String[]> lines = new ArrayList<>();
    if (agent.getHasCpu()) {
      lines.add(
          new String[] {
            "CPU",
            String.format(Locale.ROOT, "%.1f %% busy", agent.getCpuPercent())
                + "   "
                + agent.getCores()
                + (agent.getCores() == 1 ? " core" : " cores")
          });
    }
    if (agent.hasSystem()) {
      ApiSystem s = agent.getSystem();
      lines.add(
          new String[] {
            "Load",
            (s.hasLoad1()
                    ? String.format(
                        Locale.ROOT, "%.2f %.2f %.2f", s.getLoad1(), s.getLoad5(), s.getLoad15())
                    : "-")
                + "   up "
                + uptime(s.getUptimeSeconds())
                + "   "
                + s.getProcesses()
                + " processes, "
                + s.getThreads()
                + " threads"
          });
      lines.add(
          new String[] {
            "",
            "context switches "
                + perSecond(s.hasContextSwitchesPerS(), s.getContextSwitchesPerS())
                + "   interrupts "
                + perSecond(s.hasInterruptsPerS(), s.getInterruptsPerS())
          });
    }
    if (agent.hasMemory()) {
      ApiMemory m = agent.getMemory();
      StringBuilder line =
          new StringBuilder()
              .append(bytes(m.getUsedBytes()))
              .append(" used of ")
              .append(bytes(m.getTotalBytes()))
              .append(String.format(Locale.ROOT, " (%.1f %%)", m.getUsedPercent()))
              .append("   available ")
              .append(bytes(m.getAvailableBytes()));
      if (m.hasCachedBytes()) {
        line.append("   cached ").append(bytes(m.getCachedBytes()));
      }
      if (m.hasBuffersBytes()) {
        line.append("   buffers ").append(bytes(m.getBuffersBytes()));
      }
      lines.add(new String[] {"Memory", line.toString()});
      lines.add(
          new String[] {
            "Swap",
            m.getSwapTotalBytes() == 0
                ? "none"
                : bytes(m.getSwapUsedBytes())
                    + " used of "
                    + bytes(m.getSwapTotalBytes())
                    + "   in "
                    + pages(m.hasSwapInPagesPerS(), m.getSwapInPagesPerS())
                    + "   out "
                    + pages(m.hasSwapOutPagesPerS(), m.getSwapOutPagesPerS())
          });
    }
    if (!lines.isEmpty()) {
      out.append('\n').append(table(lines, new boolean[] {false, false}, ""));
    }
    if (agent.getFileSystemsCount() > 0) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"MOUNT", "TYPE", "DEVICE", "SIZE", "USED", "FREE", "USE", "INODES"});
      for (ApiFileSystem fs : agent.getFileSystemsList()) {
        rows.add(
            new String[] {
              fs.getMount(),
              fs.getType(),
              fs.getDevice(),
              bytes(fs.getSizeBytes()),
              bytes(fs.getUsedBytes()),
              bytes(fs.getFreeBytes()),
              String.format(Locale.ROOT, "%.1f%%", fs.getUsedPercent()),
              fs.getInodesTotal() == 0
                  ? "-"
                  : String.format(
                      Locale.ROOT, "%.1f%%", 100.0 * fs.getInodesUsed() / fs.getInodesTotal())
            });
      }
      out.append("\nFile systems\n")
          .append(
              table(rows, new boolean[] {false, false, false, true, true, true, true, true}, "  "));
    }
    if (agent.getDisksCount() > 0) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"DEVICE", "READ", "WRITE", "READS", "WRITES", "BUSY"});
      for (ApiDisk d : agent.getDisksList()) {
        rows.add(
            new String[] {
              d.getDevice(),
              byteRate(d.hasReadBytesPerS(), d.getReadBytesPerS()),
              byteRate(d.hasWriteBytesPerS(), d.getWriteBytesPerS()),
              perSecond(d.hasReadOpsPerS(), d.getReadOpsPerS()),
              perSecond(d.hasWriteOpsPerS(), d.getWriteOpsPerS()),
              d.hasBusyPercent() ? String.format(Locale.ROOT, "%.1f%%", d.getBusyPercent()) : "-"
            });
      }
      out.append("\nDisks\n")
          .append(table(rows, new boolean[] {false, true, true, true, true, true}, "  "));
    }
    if (agent.getInterfacesCount() > 0) {
      List<String[]> rows = new ArrayList<>();
      rows.add(
          new String[] {
            "INTERFACE", "LINK", "RECEIVED", "SENT", "RX PKTS", "TX PKTS", "ERRORS", "DROPS"
          });
      for (ApiInterface n : agent.getInterfacesList()) {
        boolean errorsKnown = n.hasRxErrorsPerS() && n.hasTxErrorsPerS();
        boolean dropsKnown = n.hasRxDropsPerS() && n.hasTxDropsPerS();
        rows.add(
            new String[] {
              n.getName(),
              n.getUp() ? "up" : "down",
              byteRate(n.hasRxBytesPerS(), n.getRxBytesPerS()),
              byteRate(n.hasTxBytesPerS(), n.getTxBytesPerS()),
              perSecond(n.hasRxPacketsPerS(), n.getRxPacketsPerS()),
              perSecond(n.hasTxPacketsPerS(), n.getTxPacketsPerS()),
              perSecond(errorsKnown, n.getRxErrorsPerS() + n.getTxErrorsPerS()),
              perSecond(dropsKnown, n.getRxDropsPerS() + n.getTxDropsPerS())
            });
      }
      out.append("\nNetwork (errors and drops: both directions)\n")
          .append(
              table(rows, new boolean[] {false, false, true, true, true, true, true, true}, "  "));
    }
    return out.toString();
  }

  /** Lines up the columns: two spaces between them, numbers right-aligned. */
  private static String table(List<String[]> rows, boolean[] right, String indent) {
    int[] widths = new int[right.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder(indent);
      for (int c = 0; c < row.length; c++) {
        if (c > 0) {
          line.append("  ");
        }
        String pad = " ".repeat(widths[c] - row[c].length());
        line.append(right[c] ? pad + row[c] : row[c] + pad);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  /** 1023 B, 1.5 KiB, 12.3 GiB: three significant figures at most, binary units. */
  static String bytes(double bytes) {
    int unit = 0;
    double value = bytes;
    while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    if (unit == 0) {
      return String.format(Locale.ROOT, "%.0f B", value);
    }
    return String.format(
        Locale.ROOT, value >= 100 ? "%.0f %s" : "%.1f %s", value, SIZE_UNITS[unit]);
  }

  static String byteRate(boolean known, double bytesPerSecond) {
    return known ? bytes(bytesPerSecond) + "/s" : "-";
  }

  /** 0/s, 0.2/s, 45/s, 1.2k/s, 3.4M/s. */
  static String perSecond(boolean known, double rate) {
    if (!known) {
      return "-";
    }
    if (rate >= 1_000_000) {
      return String.format(Locale.ROOT, "%.1fM/s", rate / 1_000_000);
    }
    if (rate >= 10_000) {
      return String.format(Locale.ROOT, "%.0fk/s", rate / 1000);
    }
    if (rate >= 1000) {
      return String.format(Locale.ROOT, "%.1fk/s", rate / 1000);
    }
    if (rate == Math.rint(rate) || rate >= 100) {
      return String.format(Locale.ROOT, "%.0f/s", rate);
    }
    return String.format(Locale.ROOT, "%.1f/s", rate);
  }

  private static String pages(boolean known, double rate) {
    return known ? perSecond(true, rate).replace("/s", " pages/s") : "-";
  }

  /** 45m, 5h 12m, 3d 4h. */
  static String uptime(long seconds) {
    long days = seconds / 86_400;
    long hours = seconds % 86_400 / 3600;
    long minutes = seconds % 3600 / 60;
    if (days > 0) {
      return days + "d " + hours + "h";
    }
    if (hours > 0) {
      return hours + "h " + minutes + "m";
    }
    return minutes + "m";
  }
}
