package io.vigia.collector.alert;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two kinds of receiver share: a thread of their own, a JSON {@code POST} with a timeout,
 * the retry delay (1 s doubling to 60 s) and the counters of {@code /metrics}.
 *
 * <p>Thread-safety: the counters are safe to read from any thread; {@link #post} is called by the
 * receiver's own thread only.
 */
abstract class Delivery implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(5);
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final Duration MAX_RETRY = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(Delivery.class);

  final URI url;
  final String kind;
  final AtomicLong sent = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong droppedQueueFull = new AtomicLong();
  final AtomicLong droppedRejected = new AtomicLong();
  private final HttpClient http;
  private final Thread thread;
  volatile boolean closed;
  private volatile String lastError = "";
  private boolean failing;

  Delivery(URI url, String kind) {
    this.url = url;
    this.kind = kind;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.thread = new Thread(this::run, "vigia-alert-" + kind + "-" + url.getAuthority());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The sending loop, until {@link #closed}. */
  abstract void run();

  /** Notifications waiting to be sent. */
  abstract int queued();

  /** What went wrong last, or empty. */
  String lastError() {
    return lastError;
  }

  /** The outcome of one request. */
  enum Outcome {
    SENT,
    /** Refused for good (a 4xx other than 408 or 429): sending it again would not help. */
    REJECTED,
    /** Worth another try: no connection, a timeout, a 5xx, 408 or 429. */
    RETRY
  }

  Outcome post(URI target, String json) {
    HttpRequest request =
        HttpRequest.newBuilder(target)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("User-Agent", "vigia-collector")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    String error;
    Outcome outcome;
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      int status = response.statusCode();
      if (status / 100 == 2) {
        sent.incrementAndGet();
        if (failing) {
          failing = false;
          log.info("Alerts to {} {}: delivered again", kind, url);
        }
        lastError = "";
        return Outcome.SENT;
      }
      String body = response.body();
      error = "HTTP " + status + (body.isBlank() ? "" : ": " + abbreviate(body.strip()));
      outcome =
          status / 100 == 4 && status != 408 && status != 429 ? Outcome.REJECTED : Outcome.RETRY;
    } catch (java.io.IOException e) {
      error = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
      outcome = Outcome.RETRY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.RETRY;
    }
    failed.incrementAndGet();
    boolean news = !error.equals(lastError);
    lastError = error;
    if (!failing || news) {
      // Once per outage: the counters and the API tell the rest.
      log.warn(
          "Alerts to {} {}: {}{}",
          kind,
          url,
          error,
          outcome == Outcome.REJECTED ? " (refused; dropped)" : "; retrying with backoff");
    }
    failing = true;
    return outcome;
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  static Duration retryDelay(int attempt) {
    long millis = FIRST_RETRY.toMillis() << Math.min(attempt - 1, 10);
    return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
  }

  /** Stops the thread, waiting up to 5 s for a request in flight. Idempotent. */
  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      notifyAll();
    }
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
