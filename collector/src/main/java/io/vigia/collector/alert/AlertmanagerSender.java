package io.vigia.collector.alert;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/**
 * Keeps one Alertmanager up to date through its v2 API ({@code POST /api/v2/alerts}): whenever an
 * alert changes, and every {@code resend} while any is listed, it posts every firing and recently
 * resolved alert. Only the newest list is kept, so a slow or dead Alertmanager costs one list of
 * memory; Alertmanager merges what it gets again, as it does with Prometheus' resends.
 *
 * <p>Thread-safety: {@link #update} may be called from any thread and never blocks for long.
 */
final class AlertmanagerSender extends Delivery {

  private final URI endpoint;
  private final Duration resend;
  private final InstantSource clock;
  private final String generator;
  private List<Alert> latest = List.of();
  private boolean dirty;

  AlertmanagerSender(URI url, Duration resend, InstantSource clock, String generator) {
    super(url, "alertmanager");
    String base = url.toString().replaceAll("/+$", "");
    this.endpoint = URI.create(base + "/api/v2/alerts");
    this.resend = resend;
    this.clock = clock;
    this.generator = generator;
  }

  /** The alerts now; sent at once. */
  synchronized void update(List<Alert> alerts) {
    latest = alerts;
    dirty = true;
    notifyAll();
  }

  @Override
  int queued() {
    synchronized (this) {
      return dirty ? 1 : 0;
    }
  }

  @Override
  void run() {
    int attempt = 0;
    long lastSent = 0;
    while (!closed) {
      List<Alert> alerts;
      synchronized (this) {
        long waitMillis =
            attempt > 0
                ? retryDelay(attempt).toMillis()
                : Math.max(1, lastSent + resend.toMillis() - System.currentTimeMillis());
        if (!dirty && !closed) {
          try {
            wait(waitMillis);
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        boolean resendDue = System.currentTimeMillis() - lastSent >= resend.toMillis();
        if (!dirty && !resendDue && attempt == 0) {
          continue;
        }
        dirty = false;
        alerts = latest;
      }
      if (alerts.stream()
          .noneMatch(a -> a.state() == AlertState.FIRING || a.state() == AlertState.RESOLVED)) {
        lastSent = System.currentTimeMillis();
        attempt = 0;
        continue;
      }
      Outcome outcome =
          post(endpoint, AlertJson.alertmanager(alerts, clock.instant(), resend, generator));
      lastSent = System.currentTimeMillis();
      attempt = outcome == Outcome.RETRY ? attempt + 1 : 0;
      if (outcome == Outcome.REJECTED) {
        droppedRejected.incrementAndGet();
      }
    }
  }
}
