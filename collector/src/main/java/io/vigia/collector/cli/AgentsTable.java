package io.vigia.collector.cli;

import com.google.protobuf.util.Timestamps;
import io.vigia.proto.ApiAgent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Renders the agents list as a table whose columns line up, for a person at a terminal. */
final class AgentsTable {

  private static final String[] HEADER = {
    "ID", "HOSTNAME", "ADDRESS", "STATE", "CORES", "CPU", "LAST SEEN"
  };
  // Numbers are right-aligned, text left-aligned.
  private static final boolean[] RIGHT = {false, false, false, false, true, true, true};

  private AgentsTable() {}

  static String render(List<ApiAgent> agents, Instant now) {
    if (agents.isEmpty()) {
      return "No agents have connected to this collector yet.\n";
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (ApiAgent agent : agents) {
      rows.add(row(agent, now));
    }
    return layout(rows, RIGHT);
  }

  /** The agents of several collectors, with a last column naming each row's collector. */
  static String renderMerged(List<AgentsCommand.Listed> listed, Instant now) {
    if (listed.isEmpty()) {
      return "No agents have connected to these collectors yet.\n";
    }
    String[] header = Arrays.copyOf(HEADER, HEADER.length + 1);
    header[HEADER.length] = "COLLECTOR";
    boolean[] right = Arrays.copyOf(RIGHT, RIGHT.length + 1);
    List<String[]> rows = new ArrayList<>();
    rows.add(header);
    for (AgentsCommand.Listed one : listed) {
      String[] row = Arrays.copyOf(row(one.agent(), now), header.length);
      row[HEADER.length] = one.collector();
      rows.add(row);
    }
    return layout(rows, right);
  }

  private static String[] row(ApiAgent agent, Instant now) {
    return new String[] {
      agent.getId(),
      agent.getHostname(),
      agent.getAddress(),
      agent.getState().name(),
      Integer.toString(agent.getCores()),
      agent.getSamples() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", agent.getCpuPercent()),
      age(Duration.between(Instant.ofEpochMilli(Timestamps.toMillis(agent.getLastSeen())), now))
    };
  }

  private static String layout(List<String[]> rows, boolean[] right) {
    int[] widths = new int[right.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
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

  /** "3s ago", "4m ago", "2h ago", "5d ago"; "just now" under a second. */
  static String age(Duration age) {
    long seconds = Math.max(0, age.toSeconds());
    if (seconds < 1) {
      return "just now";
    }
    if (seconds < 120) {
      return seconds + "s ago";
    }
    if (seconds < 2 * 3600) {
      return seconds / 60 + "m ago";
    }
    if (seconds < 2 * 86400) {
      return seconds / 3600 + "h ago";
    }
    return seconds / 86400 + "d ago";
  }
}
