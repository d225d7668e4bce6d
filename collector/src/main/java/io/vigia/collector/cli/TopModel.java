package io.vigia.collector.cli;

import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiSample;
import io.vigia.proto.ApiStreamEvent;
import io.vigia.proto.ApiStreamSample;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code vigia top} shows: every host with its latest figures and a short history of CPU and
 * memory, kept up to date from the live stream. Not thread-safe: the screen's loop owns it.
 */
final class TopModel {

  /** Samples of CPU and memory kept per host for the host view's history. */
  static final int HISTORY = 240;

  enum Sort {
    CPU,
    MEMORY,
    NAME
  }

  /** One host. Figures are NaN where unknown. */
  static final class Row {
    ApiAgent agent;
    ApiStreamSample sample;
    final ArrayDeque<Double> cpu = new ArrayDeque<>();
    final ArrayDeque<Double> memory = new ArrayDeque<>();
    long lastSeq;

    /** When the collector stored the latest sample, in epoch ms (0: not from the stream). */
    long storedMillis;

    Row(ApiAgent agent) {
      this.agent = agent;
    }

    /** When the collector last heard from the host, as far as this view knows. */
    java.time.Instant lastSeen() {
      java.time.Instant listed =
          java.time.Instant.ofEpochSecond(
              agent.getLastSeen().getSeconds(), agent.getLastSeen().getNanos());
      return storedMillis > listed.toEpochMilli()
          ? java.time.Instant.ofEpochMilli(storedMillis)
          : listed;
    }

    String id() {
      return agent.getId();
    }

    double cpuPercent() {
      if (sample != null) {
        return sample.getHasCpu() ? sample.getCpuPercent() : Double.NaN;
      }
      return agent.getHasCpu() ? agent.getCpuPercent() : Double.NaN;
    }

    List<Double> cores() {
      return sample != null ? sample.getCorePercentList() : agent.getCorePercentList();
    }

    double memoryPercent() {
      if (sample != null) {
        return sample.hasMemoryUsedPercent() ? sample.getMemoryUsedPercent() : Double.NaN;
      }
      return agent.hasMemory() ? agent.getMemory().getUsedPercent() : Double.NaN;
    }

    double memoryTotalBytes() {
      if (sample != null) {
        return sample.hasMemoryTotalBytes() ? sample.getMemoryTotalBytes() : Double.NaN;
      }
      return agent.hasMemory() ? agent.getMemory().getTotalBytes() : Double.NaN;
    }

    double load1() {
      if (sample != null) {
        return sample.hasLoad1() ? sample.getLoad1() : Double.NaN;
      }
      return agent.hasSystem() && agent.getSystem().hasLoad1()
          ? agent.getSystem().getLoad1()
          : Double.NaN;
    }

    double netRx() {
      if (sample != null) {
        return sample.hasNetRxBytesPerS() ? sample.getNetRxBytesPerS() : Double.NaN;
      }
      return sumInterfaces(true);
    }

    double netTx() {
      if (sample != null) {
        return sample.hasNetTxBytesPerS() ? sample.getNetTxBytesPerS() : Double.NaN;
      }
      return sumInterfaces(false);
    }

    private double sumInterfaces(boolean rx) {
      double sum = 0;
      boolean any = false;
      for (var nic : agent.getInterfacesList()) {
        if (rx ? nic.hasRxBytesPerS() : nic.hasTxBytesPerS()) {
          sum += rx ? nic.getRxBytesPerS() : nic.getTxBytesPerS();
          any = true;
        }
      }
      return any ? sum : Double.NaN;
    }

    private void remember(double cpuPercent, double memoryPercent) {
      cpu.addLast(cpuPercent);
      memory.addLast(memoryPercent);
      while (cpu.size() > HISTORY) {
        cpu.removeFirst();
        memory.removeFirst();
      }
    }
  }

  private final Map<String, Row> rows = new HashMap<>();
  private boolean reloadNeeded;

  /** Takes the hosts as listed by the API; histories already kept stay. */
  void load(List<ApiAgent> agents) {
    for (ApiAgent agent : agents) {
      Row row = rows.computeIfAbsent(agent.getId(), id -> new Row(agent));
      row.agent = agent;
      if (row.sample != null && row.sample.getSeq() < agent.getLastSeq()) {
        // The listing is newer than what the stream brought: show the listing's figures.
        row.sample = null;
      }
    }
    reloadNeeded = false;
  }

  /**
   * Applies one stream event.
   *
   * @return true if something shown changed
   */
  boolean apply(ApiStreamEvent event) {
    switch (event.getType()) {
      case "state" -> {
        Row row = rows.computeIfAbsent(event.getHost(), id -> new Row(event.getAgent()));
        row.agent = event.getAgent();
        return true;
      }
      case "sample" -> {
        Row row = rows.get(event.getHost());
        if (row == null) {
          // A host we never listed (its state event came before we loaded): list again.
          reloadNeeded = true;
          return false;
        }
        ApiStreamSample sample = event.getSample();
        row.sample = sample;
        row.lastSeq = sample.getSeq();
        row.storedMillis =
            sample.getStored().getSeconds() * 1000 + sample.getStored().getNanos() / 1_000_000;
        row.remember(
            sample.getHasCpu() ? sample.getCpuPercent() : Double.NaN,
            sample.hasMemoryUsedPercent() ? sample.getMemoryUsedPercent() : Double.NaN);
        return true;
      }
      case "reset" -> {
        reloadNeeded = true;
        return false;
      }
      default -> {
        return false;
      }
    }
  }

  /** Fills an empty history of {@code id} from the API's samples, oldest first. */
  void backfill(String id, List<ApiSample> samples) {
    Row row = rows.get(id);
    if (row == null || !row.cpu.isEmpty()) {
      return;
    }
    for (ApiSample sample : samples) {
      row.remember(
          sample.getHasCpu() ? sample.getCpuPercent() : Double.NaN,
          sample.hasMemory() ? sample.getMemory().getUsedPercent() : Double.NaN);
    }
  }

  boolean reloadNeeded() {
    return reloadNeeded;
  }

  Row row(String id) {
    return rows.get(id);
  }

  int size() {
    return rows.size();
  }

  long connected() {
    return rows.values().stream()
        .filter(r -> r.agent.getState().name().equals("CONNECTED"))
        .count();
  }

  /** The rows whose id or hostname contains {@code filter} (any case), in {@code sort} order. */
  List<Row> rows(Sort sort, String filter) {
    String needle = filter.toLowerCase(Locale.ROOT);
    Comparator<Row> byName = Comparator.comparing(Row::id);
    Comparator<Row> order =
        switch (sort) {
          case CPU ->
              Comparator.comparingDouble((Row r) -> orLow(r.cpuPercent()))
                  .reversed()
                  .thenComparing(byName);
          case MEMORY ->
              Comparator.comparingDouble((Row r) -> orLow(r.memoryPercent()))
                  .reversed()
                  .thenComparing(byName);
          case NAME -> byName;
        };
    return rows.values().stream()
        .filter(
            r ->
                needle.isEmpty()
                    || r.id().toLowerCase(Locale.ROOT).contains(needle)
                    || r.agent.getHostname().toLowerCase(Locale.ROOT).contains(needle))
        .sorted(order)
        .toList();
  }

  private static double orLow(double value) {
    return Double.isNaN(value) ? -1 : value;
  }
}
