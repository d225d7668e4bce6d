package io.vigia.collector.alert;

import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each alert that fires or resolves to one webhook, in order, one request per alert (the body
 * is {@link AlertJson#webhook}). A failed request is tried again after 1 s, then doubling to 60 s,
 * for as long as it takes; what arrives meanwhile waits in a bounded queue, and when that is full
 * the oldest notification is dropped and counted.
 *
 * <p>Thread-safety: {@link #offer} may be called from any thread and never blocks for long.
 */
final class WebhookSender extends Delivery {

  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);

  private final int capacity;
  private final ArrayDeque<Alert> queue = new ArrayDeque<>();
  private final InstantSource clock;
  private long sequence;

  WebhookSender(URI url, int capacity, InstantSource clock) {
    super(url, "webhook");
    this.capacity = capacity;
    this.clock = clock;
  }

  synchronized void offer(Alert alert) {
    if (queue.size() >= capacity) {
      queue.pollFirst();
      if (droppedQueueFull.incrementAndGet() == 1) {
        log.warn(
            "Alerts to webhook {}: {} notifications wait; dropping the oldest (counted in"
                + " vigia_alert_notifications_dropped_total{{reason=\"queue_full\"}})",
            url,
            capacity);
      }
    }
    queue.addLast(alert);
    notifyAll();
  }

  @Override
  synchronized int queued() {
    return queue.size();
  }

  @Override
  void run() {
    int attempt = 0;
    while (!closed) {
      Alert next;
      synchronized (this) {
        try {
          if (attempt > 0) {
            wait(retryDelay(attempt).toMillis());
          }
          while (queue.isEmpty() && !closed) {
            wait();
          }
        } catch (InterruptedException e) {
          return;
        }
        if (closed) {
          return;
        }
        next = queue.peekFirst();
      }
      Outcome outcome = post(url, AlertJson.webhook(next, sequence + 1, clock.instant()));
      if (outcome == Outcome.RETRY) {
        attempt++;
        continue;
      }
      attempt = 0;
      sequence++;
      if (outcome == Outcome.REJECTED) {
        droppedRejected.incrementAndGet();
      }
      synchronized (this) {
        if (queue.peekFirst() == next) {
          queue.pollFirst();
        }
      }
    }
  }
}
