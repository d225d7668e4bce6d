package io.vigia.collector.alert;

import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.LinkState;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.registry.SystemFigures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Evaluates the rules on every sample as it is stored and, for a host that went silent, by the
 * clock. The work per sample is one comparison per rule and watched series, with no look at the
 * history: each series keeps only its state (and, for {@code predict_linear}, {@link LinearTrend}'s
 * fixed buckets).
 *
 * <p>A series moves from inactive to pending when the condition begins to hold, to firing once it
 * has held for the rule's {@code for}, and to resolved when the value is back past the clearing
 * line; a pending one whose condition stops holding goes back to inactive. Firing and resolved
 * alerts, and every other change of state, go to the {@code notify} callback; a resolved one is
 * listed for {@link #RESOLVED_KEPT}.
 *
 * <p>Thread-safety: none. One thread (the alert thread of {@link Alerting}) owns an engine and
 * makes every call; the callbacks run on it.
 */
final class AlertEngine {

  /** How long a resolved alert stays listed (and is resent to Alertmanager). */
  static final Duration RESOLVED_KEPT = Duration.ofMinutes(15);

  /** A series not updated for this long resolves (its file system was unmounted, say). */
  static final Duration STALE = Duration.ofMinutes(5);

  private static final Object UNSELECTED = new Object();

  private final List<AlertRule> rules;
  private final Consumer<Alert> notify;
  private final Map<String, HostTable> hosts = new HashMap<>();
  private final Set<Tracked> active = new LinkedHashSet<>();
  private final Set<HostTable> lost = new LinkedHashSet<>();
  private boolean changed;

  AlertEngine(List<AlertRule> rules, Consumer<Alert> notify) {
    this.rules = List.copyOf(rules);
    this.notify = notify;
  }

  List<AlertRule> rules() {
    return rules;
  }

  /** A host's link state changed (or is known at start); also names the host for its rules. */
  void hostState(String id, String hostname, LinkState state, Instant since, Instant now) {
    HostTable host = host(id, hostname);
    if (!host.hostname.equals(hostname)) {
      host.rename(hostname);
    }
    host.state = state;
    if (state == LinkState.LOST) {
      lost.add(host);
      evaluateUp(host, 0, since.toEpochMilli(), now.toEpochMilli());
      evaluateUp(host, 0, now.toEpochMilli(), now.toEpochMilli());
    } else {
      lost.remove(host);
      if (state == LinkState.CONNECTED) {
        evaluateUp(host, 1, now.toEpochMilli(), now.toEpochMilli());
      } else {
        endUp(host, now.toEpochMilli()); // it left on purpose: no series, nothing lost
      }
    }
  }

  /**
   * A sample of host {@code id} was stored.
   *
   * @param spoolDropped samples its agent dropped so far in this run
   * @param now the collector's time, which judges staleness
   */
  void sample(String id, StoredSample sample, long spoolDropped, Instant now) {
    HostTable host = hosts.get(id);
    if (host == null) {
      host = host(id, id);
    }
    long t = sample.time().toEpochMilli();
    long seen = now.toEpochMilli();
    CpuFigures cpu = sample.cpu();
    MemoryFigures memory = sample.families().memory();
    SystemFigures system = sample.families().system();
    for (int r = 0; r < rules.size(); r++) {
      if (!host.applies[r]) {
        continue;
      }
      AlertRule rule = rules.get(r);
      switch (rule.expr().series()) {
        case CPU_BUSY -> {
          if (cpu != null) {
            observe(host.single(r, rule), cpu.busy() / 1000.0, t, seen);
          }
        }
        case CPU_CORE -> {
          if (cpu != null) {
            for (int c = 0; c < cpu.cores(); c++) {
              Tracked s = host.indexed(r, rule, c, cpu.cores());
              if (s != null) {
                observe(s, cpu.coreBusy(c) / 1000.0, t, seen);
              }
            }
          }
        }
        case CPU_MODE -> {
          if (cpu != null) {
            for (int m = 0; m < MODES.size(); m++) {
              Tracked s = host.indexed(r, rule, m, MODES.size());
              if (s != null) {
                observe(s, mode(cpu, m) / 1000.0, t, seen);
              }
            }
          }
        }
        case MEMORY_USED_RATIO -> {
          if (memory != null && memory.totalBytes() > 0) {
            observe(
                host.single(r, rule), (double) memory.usedBytes() / memory.totalBytes(), t, seen);
          }
        }
        case MEMORY_AVAILABLE -> {
          if (memory != null) {
            observe(host.single(r, rule), memory.availableBytes(), t, seen);
          }
        }
        case SWAP_USED_RATIO -> {
          if (memory != null && memory.swapTotalBytes() > 0) {
            observe(
                host.single(r, rule),
                (double) memory.swapUsedBytes() / memory.swapTotalBytes(),
                t,
                seen);
          }
        }
        case SWAP_USED -> {
          if (memory != null) {
            observe(host.single(r, rule), memory.swapUsedBytes(), t, seen);
          }
        }
        case LOAD1, LOAD5, LOAD15 -> {
          int load = system == null ? -1 : load(system, rule.expr().series());
          if (load >= 0) {
            observe(host.single(r, rule), load / 100.0, t, seen);
          }
        }
        case FS_USED_RATIO, FS_FREE, FS_USED -> {
          for (FileSystemFigures fs : sample.families().fileSystems()) {
            double value = fileSystem(fs, rule.expr().series());
            if (value >= 0) {
              Tracked s = host.keyed(r, rule, fs.mount(), fs.mount(), fs.device(), fs.type());
              if (s != null) {
                observe(s, value, t, seen);
              }
            }
          }
        }
        case DISK_BUSY, DISK_READ, DISK_WRITTEN -> {
          for (DiskFigures disk : sample.families().disks()) {
            double value = disk(disk, rule.expr().series());
            if (value >= 0) {
              Tracked s = host.keyed(r, rule, disk.device(), disk.device());
              if (s != null) {
                observe(s, value, t, seen);
              }
            }
          }
        }
        case NET_RECEIVE, NET_TRANSMIT, NET_ERRORS, NET_DROPS -> {
          for (InterfaceFigures nic : sample.families().interfaces()) {
            double value = network(nic, rule.expr().series());
            if (value >= 0) {
              Tracked s = host.keyed(r, rule, nic.name(), nic.name());
              if (s != null) {
                observe(s, value, t, seen);
              }
            }
          }
        }
        case SPOOL_DROPPED -> observe(host.single(r, rule), spoolDropped, t, seen);
        case UP -> {}
      }
    }
  }

  /**
   * The clock's part: hosts lost long enough fire, stale series resolve, resolved alerts kept long
   * enough are forgotten. Work in proportion to the lost hosts and the active alerts only.
   */
  void tick(Instant now) {
    long t = now.toEpochMilli();
    for (HostTable host : List.copyOf(lost)) {
      evaluateUp(host, 0, t, t);
    }
    List<Tracked> stale = new ArrayList<>();
    for (Iterator<Tracked> it = active.iterator(); it.hasNext(); ) {
      Tracked s = it.next();
      if (s.state == AlertState.RESOLVED && t - s.resolvedAt >= RESOLVED_KEPT.toMillis()) {
        s.state = AlertState.INACTIVE;
        it.remove();
        changed = true;
      } else if (s.state != AlertState.RESOLVED
          && s.rule.expr().series() != Series.UP
          && t - s.lastSeen >= STALE.toMillis()) {
        stale.add(s);
      }
    }
    for (Tracked s : stale) {
      end(s, Math.max(s.lastTime, s.activeAt));
    }
  }

  /**
   * Takes back the alerts of an earlier run (or of the rules before a reload): a pending alert
   * keeps when it began, a firing one stays firing without being sent again as new. A firing alert
   * whose rule is gone is resolved and sent as such.
   */
  void restore(List<Alert> alerts, Instant now) {
    Map<String, Integer> byName = new HashMap<>();
    for (int r = 0; r < rules.size(); r++) {
      byName.put(rules.get(r).name(), r);
    }
    for (Alert alert : alerts) {
      Integer r = byName.get(alert.name());
      if (r == null) {
        if (alert.state() == AlertState.FIRING) {
          notify.accept(
              new Alert(
                  alert.name(),
                  alert.labels(),
                  alert.annotations(),
                  AlertState.RESOLVED,
                  alert.activeAt(),
                  alert.firedAt(),
                  now,
                  alert.value()));
        }
        continue;
      }
      AlertRule rule = rules.get(r);
      Map<String, String> labels = alert.labels();
      HostTable host = host(labels.getOrDefault("host", ""), labels.getOrDefault("hostname", ""));
      if (!host.applies[r]) {
        continue;
      }
      List<String> names = rule.expr().series().dimension.labels;
      String[] values = new String[names.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = labels.getOrDefault(names.get(i), "");
      }
      Tracked s;
      switch (rule.expr().series().dimension) {
        case HOST -> s = host.single(r, rule);
        case CORE, MODE -> {
          int index =
              rule.expr().series().dimension == Series.Dimension.MODE
                  ? MODES.indexOf(values[0])
                  : parseIndex(values[0]);
          s = index < 0 ? null : host.indexed(r, rule, index, index + 1);
        }
        default -> s = host.keyed(r, rule, values[0], values);
      }
      if (s == null || alert.state() == AlertState.INACTIVE) {
        continue;
      }
      s.state = alert.state();
      s.activeAt = alert.activeAt().toEpochMilli();
      s.firedAt = alert.firedAt() == null ? 0 : alert.firedAt().toEpochMilli();
      s.resolvedAt = alert.resolvedAt() == null ? 0 : alert.resolvedAt().toEpochMilli();
      s.value = alert.value();
      s.annotations = alert.annotations();
      s.lastSeen = now.toEpochMilli();
      s.lastTime = s.activeAt;
      active.add(s);
      changed = true;
    }
  }

  /** Every pending, firing and recently resolved alert, firing first, then by name and host. */
  List<Alert> alerts() {
    List<Alert> list = new ArrayList<>(active.size());
    for (Tracked s : active) {
      list.add(s.snapshot());
    }
    list.sort(
        java.util.Comparator.comparing((Alert a) -> order(a.state()))
            .thenComparing(Alert::name)
            .thenComparing(a -> a.labels().toString()));
    return list;
  }

  private static int order(AlertState state) {
    return switch (state) {
      case FIRING -> 0;
      case PENDING -> 1;
      case RESOLVED -> 2;
      case INACTIVE -> 3;
    };
  }

  /** True once, after any alert changed state since the last call. */
  boolean takeChanged() {
    boolean was = changed;
    changed = false;
    return was;
  }

  /** Hosts the engine follows. */
  int hostCount() {
    return hosts.size();
  }

  private HostTable host(String id, String hostname) {
    return hosts.computeIfAbsent(id, k -> new HostTable(id, hostname));
  }

  private void evaluateUp(HostTable host, double value, long time, long seen) {
    for (int r = 0; r < rules.size(); r++) {
      AlertRule rule = rules.get(r);
      if (host.applies[r] && rule.expr().series() == Series.UP) {
        observe(host.single(r, rule), value, time, seen);
      }
    }
  }

  private void endUp(HostTable host, long time) {
    for (int r = 0; r < rules.size(); r++) {
      AlertRule rule = rules.get(r);
      if (host.applies[r] && rule.expr().series() == Series.UP) {
        Tracked s = host.single(r, rule);
        if (s.state == AlertState.PENDING || s.state == AlertState.FIRING) {
          end(s, time);
        }
      }
    }
  }

  /** One new value of one series: the state machine. */
  private void observe(Tracked s, double raw, long time, long seen) {
    if (time < s.lastTime) {
      return; // older than what this series has seen: a replay out of order
    }
    s.lastTime = time;
    s.lastSeen = seen;
    Expr expr = s.rule.expr();
    double value =
        switch (expr.function()) {
          case VALUE -> raw;
          case PREDICT_LINEAR -> {
            if (s.trend == null) {
              s.trend = new LinearTrend(expr.window().toMillis());
            }
            s.trend.add(time, raw);
            yield s.trend.predict(time, expr.horizon().toMillis());
          }
          case INCREASE -> s.increase(raw, time, expr.window().toMillis());
        };
    if (Double.isNaN(value)) {
      return;
    }
    AlertRule rule = s.rule;
    switch (s.state) {
      case INACTIVE, RESOLVED -> {
        if (rule.breaks(value)) {
          s.activeAt = time;
          s.firedAt = 0;
          s.resolvedAt = 0;
          s.value = value;
          active.add(s);
          changed = true;
          if (rule.forDuration().isZero()) {
            fire(s, time);
          } else {
            s.state = AlertState.PENDING;
            s.annotations = s.render();
            notify.accept(s.snapshot());
          }
        }
      }
      case PENDING -> {
        s.value = value;
        if (!rule.stillBreaks(value)) {
          end(s, time);
        } else if (time - s.activeAt >= rule.forDuration().toMillis()) {
          fire(s, time);
        }
      }
      case FIRING -> {
        s.value = value;
        if (!rule.stillBreaks(value)) {
          end(s, time);
        }
      }
    }
  }

  private void fire(Tracked s, long time) {
    s.state = AlertState.FIRING;
    s.firedAt = time;
    s.annotations = s.render();
    changed = true;
    notify.accept(s.snapshot());
  }

  /** A firing alert resolves (and stays listed a while); a pending one goes back to inactive. */
  private void end(Tracked s, long time) {
    changed = true;
    if (s.state != AlertState.FIRING) {
      s.state = AlertState.INACTIVE;
      active.remove(s);
      notify.accept(s.snapshot());
      return;
    }
    s.state = AlertState.RESOLVED;
    s.resolvedAt = time;
    s.annotations = s.render();
    active.add(s);
    notify.accept(s.snapshot());
  }

  static final List<String> MODES = io.vigia.collector.metrics.CpuSeries.MODES;

  private static int mode(CpuFigures cpu, int m) {
    return switch (m) {
      case 0 -> cpu.user();
      case 1 -> cpu.nice();
      case 2 -> cpu.system();
      case 3 -> cpu.iowait();
      case 4 -> cpu.irq();
      case 5 -> cpu.softirq();
      case 6 -> cpu.steal();
      default -> cpu.idle();
    };
  }

  private static int load(SystemFigures system, Series series) {
    return switch (series) {
      case LOAD1 -> system.load1X100();
      case LOAD5 -> system.load5X100();
      default -> system.load15X100();
    };
  }

  private static double fileSystem(FileSystemFigures fs, Series series) {
    return switch (series) {
      case FS_FREE -> fs.freeBytes();
      case FS_USED -> fs.usedBytes();
      default -> {
        long total = fs.usedBytes() + fs.freeBytes();
        yield fs.usedBytes() < 0 || fs.freeBytes() < 0 || total <= 0
            ? -1
            : (double) fs.usedBytes() / total;
      }
    };
  }

  private static double disk(DiskFigures disk, Series series) {
    return switch (series) {
      case DISK_READ -> disk.readBytesPerSec();
      case DISK_WRITTEN -> disk.writeBytesPerSec();
      default -> disk.busyPerMille() < 0 ? -1 : disk.busyPerMille() / 1000.0;
    };
  }

  private static double network(InterfaceFigures nic, Series series) {
    return switch (series) {
      case NET_RECEIVE -> nic.rxBytesPerSec();
      case NET_TRANSMIT -> nic.txBytesPerSec();
      case NET_ERRORS ->
          nic.rxErrorsX100() < 0 || nic.txErrorsX100() < 0
              ? -1
              : (nic.rxErrorsX100() + nic.txErrorsX100()) / 100.0;
      default ->
          nic.rxDropsX100() < 0 || nic.txDropsX100() < 0
              ? -1
              : (nic.rxDropsX100() + nic.txDropsX100()) / 100.0;
    };
  }

  private static int parseIndex(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The series of one host, per rule: one, an array by core or mode, or a map by device. */
  private final class HostTable {
    final String id;
    String hostname;
    LinkState state = LinkState.CONNECTED;
    boolean[] applies;
    final Object[] perRule;

    HostTable(String id, String hostname) {
      this.id = id;
      this.hostname = hostname;
      this.perRule = new Object[rules.size()];
      this.applies = new boolean[rules.size()];
      rename(hostname);
    }

    void rename(String name) {
      hostname = name;
      for (int r = 0; r < rules.size(); r++) {
        applies[r] = rules.get(r).appliesTo(id, name);
      }
    }

    Tracked single(int r, AlertRule rule) {
      Object slot = perRule[r];
      if (slot == null) {
        slot = new Tracked(rule, this, new String[0]);
        perRule[r] = slot;
      }
      return (Tracked) slot;
    }

    /** The series of core or mode {@code index}, or null if the rule's matchers leave it out. */
    Tracked indexed(int r, AlertRule rule, int index, int size) {
      Object[] slots = (Object[]) perRule[r];
      if (slots == null || slots.length < size) {
        Object[] grown = new Object[Math.max(size, index + 1)];
        if (slots != null) {
          System.arraycopy(slots, 0, grown, 0, slots.length);
        }
        slots = grown;
        perRule[r] = slots;
      }
      Object slot = slots[index];
      if (slot == null) {
        String label =
            rule.expr().series().dimension == Series.Dimension.MODE
                ? MODES.get(index)
                : Integer.toString(index);
        String[] values = {label};
        slot = rule.expr().selects(values) ? new Tracked(rule, this, values) : UNSELECTED;
        slots[index] = slot;
      }
      return slot == UNSELECTED ? null : (Tracked) slot;
    }

    /** The series of one device, or null if the rule's matchers leave it out. */
    @SuppressWarnings("unchecked")
    Tracked keyed(int r, AlertRule rule, String key, String... labelValues) {
      Map<String, Object> slots = (Map<String, Object>) perRule[r];
      if (slots == null) {
        slots = new HashMap<>(4);
        perRule[r] = slots;
      }
      Object slot = slots.get(key);
      if (slot == null) {
        slot =
            rule.expr().selects(labelValues)
                ? new Tracked(rule, this, labelValues.clone())
                : UNSELECTED;
        slots.put(key, slot);
      }
      return slot == UNSELECTED ? null : (Tracked) slot;
    }
  }

  /** One series of one host under one rule: its state and when each part of it began. */
  private static final class Tracked {
    final AlertRule rule;
    final HostTable host;
    final String[] labelValues;
    AlertState state = AlertState.INACTIVE;
    long activeAt;
    long firedAt;
    long resolvedAt;
    long lastTime = Long.MIN_VALUE;
    long lastSeen;
    double value;
    Map<String, String> annotations = Map.of();
    LinearTrend trend;
    // increase(): the counter's last value, increases in this window and the one before
    double lastCounter = Double.NaN;
    long windowStart;
    double thisWindow;
    double lastWindow;

    Tracked(AlertRule rule, HostTable host, String[] labelValues) {
      this.rule = rule;
      this.host = host;
      this.labelValues = labelValues;
    }

    double increase(double counter, long time, long window) {
      if (Double.isNaN(lastCounter)) {
        lastCounter = counter;
        windowStart = time;
        return 0;
      }
      if (time - windowStart >= window) {
        lastWindow = time - windowStart >= 2 * window ? 0 : thisWindow;
        thisWindow = 0;
        windowStart = time;
      }
      thisWindow += counter >= lastCounter ? counter - lastCounter : counter; // a reset: from 0
      lastCounter = counter;
      return thisWindow + lastWindow;
    }

    Map<String, String> labels() {
      Map<String, String> labels = new LinkedHashMap<>(rule.labels());
      List<String> names = rule.expr().series().dimension.labels;
      for (int i = 0; i < names.size(); i++) {
        labels.put(names.get(i), labelValues[i]);
      }
      labels.put("alertname", rule.name());
      labels.put("host", host.id);
      labels.put("hostname", host.hostname);
      return labels;
    }

    Map<String, String> render() {
      Map<String, String> labels = labels();
      Map<String, String> out = new LinkedHashMap<>();
      rule.annotations()
          .forEach(
              (k, template) -> out.put(k, template.render(labels, value, rule.expr().threshold())));
      return out;
    }

    Alert snapshot() {
      return new Alert(
          rule.name(),
          labels(),
          annotations,
          state,
          Instant.ofEpochMilli(activeAt),
          firedAt == 0 ? null : Instant.ofEpochMilli(firedAt),
          resolvedAt == 0 ? null : Instant.ofEpochMilli(resolvedAt),
          value);
    }
  }
}
