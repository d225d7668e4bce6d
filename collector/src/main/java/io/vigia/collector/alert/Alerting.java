package io.vigia.collector.alert;

import io.netty.channel.ChannelHandler;
import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.vigia.collector.http.JsonGetRoute;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.RegistryListener;
import io.vigia.collector.registry.StoredSample;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's alerting: the rules, evaluated on one thread of their own as samples are stored,
 * and the receivers they notify.
 *
 * <pre>{@code
 * Alerting alerting = Alerting.start(settings, registry, dataDir, clock); // reads the rules, states
 * registry.addListener(alerting);                    // every stored sample, every link change
 * metricsRegistry.register(alerting.metrics());      // vigia_alert* in /metrics
 * httpPipeline.addLast(alerting.apiRoute());         // GET /api/v1/alerts
 * alerting.reload();                                 // SIGHUP: read the rules file again
 * }</pre>
 *
 * <p>On an agent link's event loop, a stored sample costs one lock-free offer to a bounded queue
 * (when it is full the sample is counted and not evaluated); nothing else happens there. The alert
 * thread drains the queue, runs the {@link AlertEngine}, keeps the state file and hands
 * notifications to the receivers' own threads.
 *
 * <p>Thread-safety: safe for concurrent use. The engine and the state file belong to the alert
 * thread; other threads see immutable lists published through a volatile field.
 */
public final class Alerting implements RegistryListener, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Alerting.class);

  /** How long the alert thread sleeps when there is nothing to do. */
  private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private static final int BATCH = 4096;

  /** The HTTP path of the alerts' JSON. */
  public static final String PATH = "/api/v1/alerts";

  private record Arrival(String host, StoredSample sample, long spoolDropped) {}

  private final AlertSettings settings;
  private final HostRegistry registry;
  private final Path stateFile;
  private final InstantSource clock;
  private final Queue<Arrival> arrivals;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final LongAdder samplesDropped = new LongAdder();
  private final AtomicLong dropLogged = new AtomicLong(Long.MIN_VALUE);
  private final List<AlertmanagerSender> alertmanagers = new ArrayList<>();
  private final List<WebhookSender> webhooks = new ArrayList<>();
  private final List<Consumer<Alert>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong reloads = new AtomicLong();
  private final AtomicLong reloadFailures = new AtomicLong();
  private final AtomicLong stateWriteFailures = new AtomicLong();
  private final AtomicLong notifications = new AtomicLong();
  private final Thread thread;
  private AlertEngine engine; // the alert thread's, once started
  private volatile List<Alert> current = List.of();
  private volatile List<AlertRule> rules;
  private volatile boolean closed;
  private boolean stateDirty;

  private Alerting(
      AlertSettings settings,
      HostRegistry registry,
      Path dataDir,
      InstantSource clock,
      List<AlertRule> rules) {
    this.settings = settings;
    this.registry = registry;
    this.stateFile = dataDir == null ? null : dataDir.resolve(AlertStateFile.NAME);
    this.clock = clock;
    this.rules = rules;
    this.arrivals = PlatformDependent.newFixedMpscQueue(settings.queue());
    this.thread = new Thread(this::run, "vigia-alerts");
    thread.setDaemon(true);
  }

  /**
   * Reads the rules and the states of the last run, and starts the alert thread and the receivers.
   *
   * @param dataDir where the states are kept; null keeps them in memory only
   * @throws AlertRulesException if the rules file cannot be used
   * @throws AlertStatesException if the state file is damaged or of a newer format
   */
  public static Alerting start(
      AlertSettings settings, HostRegistry registry, Path dataDir, InstantSource clock)
      throws AlertRulesException, IOException {
    List<AlertRule> rules = !settings.enabled() ? List.of() : rules(settings.rulesFile());
    Alerting alerting = new Alerting(settings, registry, dataDir, clock, rules);
    List<Alert> restored =
        alerting.stateFile == null ? List.of() : AlertStateFile.read(alerting.stateFile);
    String generator = "";
    for (URI url : settings.alertmanagers()) {
      alerting.alertmanagers.add(new AlertmanagerSender(url, settings.resend(), clock, generator));
    }
    for (URI url : settings.webhooks()) {
      alerting.webhooks.add(new WebhookSender(url, settings.webhookQueue(), clock));
    }
    alerting.engine = alerting.newEngine(rules, restored);
    alerting.current = alerting.engine.alerts();
    alerting.alertmanagers.forEach(Delivery::start);
    alerting.webhooks.forEach(Delivery::start);
    alerting.thread.start();
    if (!restored.isEmpty()) {
      log.info("Alerts: {} taken back from {}", restored.size(), alerting.stateFile);
    }
    return alerting;
  }

  /** The built-in rules as the file changes them, or the built-in ones alone. */
  static List<AlertRule> rules(Path file) throws AlertRulesException {
    return file == null ? RulesFile.builtIn() : RulesFile.read(file);
  }

  /**
   * Checks a rules file without starting anything; what the command does before it starts.
   *
   * @return how many rules are in force with it
   */
  public static int check(Path file) throws AlertRulesException {
    return rules(file).size();
  }

  private AlertEngine newEngine(List<AlertRule> rules, List<Alert> restored) {
    AlertEngine created = new AlertEngine(rules, this::transition);
    Instant now = clock.instant();
    created.restore(restored, now);
    for (HostView host : registry.hosts()) {
      // Restored hosts were lost with the last run: their delay counts from now, not from then.
      Instant since = host.stateSince().isAfter(now) ? now : host.stateSince();
      if (engine == null && since.isBefore(now)) {
        since = now;
      }
      created.hostState(host.id(), host.identity().hostname(), host.state(), since, now);
    }
    return created;
  }

  @Override
  public void sampleStored(String hostId, StoredSample sample) {
    sampleStored(hostId, sample, 0);
  }

  @Override
  public void sampleStored(String hostId, StoredSample sample, long spoolDropped) {
    if (rules.isEmpty()) {
      return;
    }
    if (!arrivals.offer(new Arrival(hostId, sample, spoolDropped))) {
      samplesDropped.increment();
      long now = System.nanoTime();
      long last = dropLogged.get();
      if ((last == Long.MIN_VALUE || now - last > TimeUnit.SECONDS.toNanos(10))
          && dropLogged.compareAndSet(last, now)) {
        log.warn(
            "Alerts: the queue of {} samples to evaluate is full; {} samples were not evaluated so"
                + " far (vigia_alert_samples_dropped_total)",
            settings.queue(),
            samplesDropped.sum());
      }
    }
  }

  @Override
  public void stateChanged(HostView host) {
    if (rules.isEmpty()) {
      return;
    }
    tasks.add(
        () ->
            engine.hostState(
                host.id(),
                host.identity().hostname(),
                host.state(),
                host.stateSince(),
                clock.instant()));
  }

  /**
   * Reads the rules file again; if it cannot be used, the rules in force stay and the fault is
   * logged. Called on SIGHUP.
   *
   * @return true if the new rules are in force
   */
  public boolean reload() {
    if (!settings.enabled()) {
      return false;
    }
    List<AlertRule> fresh;
    try {
      fresh = rules(settings.rulesFile());
    } catch (AlertRulesException e) {
      reloadFailures.incrementAndGet();
      log.error("Alerts: keeping the rules in force; {}", e.getMessage());
      return false;
    }
    reloads.incrementAndGet();
    rules = fresh;
    tasks.add(
        () -> {
          engine = newEngine(fresh, engine.alerts());
          publish();
        });
    log.info(
        "Alerts: {} rules in force, read again from {}",
        fresh.size(),
        settings.rulesFile() == null ? "the built-in ones" : settings.rulesFile());
    return true;
  }

  /** Told of every change of an alert's state (on the alert thread; must not block). */
  public void addListener(Consumer<Alert> listener) {
    listeners.add(listener);
  }

  /** Pending, firing and recently resolved alerts, firing first. */
  public List<Alert> alerts() {
    return current;
  }

  /** The names of the rules in force. */
  public List<String> ruleNames() {
    return rules.stream().map(AlertRule::name).toList();
  }

  /** Stored samples not evaluated, the alert thread's queue being full. */
  public long samplesDropped() {
    return samplesDropped.sum();
  }

  List<Delivery> receivers() {
    List<Delivery> all = new ArrayList<>(alertmanagers);
    all.addAll(webhooks);
    return all;
  }

  long reloads() {
    return reloads.get();
  }

  long reloadFailures() {
    return reloadFailures.get();
  }

  long stateWriteFailures() {
    return stateWriteFailures.get();
  }

  /** Alerts that fired or resolved since the start. */
  long notifications() {
    return notifications.get();
  }

  int queued() {
    return arrivals.size();
  }

  /** The {@code vigia_alert*} series of {@code /metrics}. */
  public MultiCollector metrics() {
    return new AlertMetrics(this);
  }

  /** Answers {@code GET /api/v1/alerts}; shared by every HTTP connection. */
  public ChannelHandler apiRoute() {
    return new JsonGetRoute(PATH, () -> AlertsApi.list(this));
  }

  private void transition(Alert alert) {
    for (Consumer<Alert> listener : listeners) {
      try {
        listener.accept(alert);
      } catch (RuntimeException e) {
        log.warn("Alerts: a listener failed", e);
      }
    }
    if (alert.state() == AlertState.FIRING || alert.state() == AlertState.RESOLVED) {
      notifications.incrementAndGet();
      log.info(
          "Alert {} {} on {}: {}",
          alert.name(),
          alert.state() == AlertState.FIRING ? "firing" : "resolved",
          alert.host(),
          alert.summary());
      for (WebhookSender webhook : webhooks) {
        webhook.offer(alert);
      }
    }
  }

  private void run() {
    Instant nextTick = clock.instant();
    while (!closed) {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
      int n = 0;
      Instant now = clock.instant();
      Arrival arrival;
      while (n < BATCH && (arrival = arrivals.poll()) != null) {
        engine.sample(arrival.host, arrival.sample, arrival.spoolDropped, now);
        n++;
      }
      if (!now.isBefore(nextTick)) {
        engine.tick(now);
        nextTick = now.plus(settings.tick());
        if (stateDirty) {
          writeStates();
        }
      }
      if (engine.takeChanged()) {
        publish();
      }
      if (n == 0) {
        LockSupport.parkNanos(IDLE_NANOS);
      }
    }
  }

  private void publish() {
    current = engine.alerts();
    for (AlertmanagerSender alertmanager : alertmanagers) {
      alertmanager.update(current);
    }
    stateDirty = stateFile != null;
  }

  private void writeStates() {
    try {
      AlertStateFile.write(stateFile, current);
      stateDirty = false;
      if (stateWriteFailures.get() > 0 && stateWriteFailuresLogged) {
        stateWriteFailuresLogged = false;
        log.info("Alerts: the states are written to {} again", stateFile);
      }
    } catch (IOException e) {
      stateWriteFailures.incrementAndGet();
      if (!stateWriteFailuresLogged) {
        stateWriteFailuresLogged = true;
        log.warn(
            "Alerts: cannot write {} ({}); a restart would forget the states; retrying",
            stateFile,
            e.getMessage());
      }
    }
  }

  private boolean stateWriteFailuresLogged;

  /** Stops evaluating, writes the states, stops the receivers. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (stateFile != null && !thread.isAlive()) {
      current = engine.alerts();
      writeStates();
    }
    alertmanagers.forEach(Delivery::close);
    webhooks.forEach(Delivery::close);
  }
}
