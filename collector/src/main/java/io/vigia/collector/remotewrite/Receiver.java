package io.vigia.collector.remotewrite;

import io.airlift.compress.snappy.SnappyCompressor;
import io.vigia.collector.registry.StoredSample;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remote-write receiver: its queue and the thread that drains it. The thread takes up to a
 * batch of the oldest samples, sends them, and on a network error, a 5xx or a 429 sends the same
 * request again after a growing delay, for as long as it takes; meanwhile the queue goes on filling
 * (dropping its oldest when full). Any other 4xx drops the batch, counted by status and logged once
 * per status. Nothing here runs on an event loop.
 */
final class Receiver implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Receiver.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  /**
   * How long a stopping collector keeps sending what is queued: well inside systemd's stop timeout
   * (20 s in the unit), after the agent links have said Goodbye.
   */
  static final Duration FLUSH_AT_SHUTDOWN = Duration.ofSeconds(5);

  private final URI url;
  private final String shownUrl;
  private final String authorization;
  private final String userAgent;
  private final int maxBatch;
  private final SendQueue queue;
  private final InstantSource clock;
  private final RetryDelay retryDelay =
      new RetryDelay(() -> ThreadLocalRandom.current().nextDouble());
  private final HttpClient http;
  private final Thread thread;
  private final Object sleep = new Object();
  private final SnappyCompressor snappy = new SnappyCompressor(); // sender thread only

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong seriesSent = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
  private volatile Instant inFlightOldest;
  private volatile String lastError = "";
  private volatile Instant lastSuccess;
  private volatile boolean closed;
  // Set by close(): from then on the sender empties its queue until this System.nanoTime(), then
  // stops.
  private volatile boolean draining;
  private volatile long drainUntil;
  private boolean failing;

  Receiver(URI url, RemoteWriteSettings settings, String userAgent, InstantSource clock) {
    this.url = url;
    this.shownUrl = url.toString();
    this.authorization = authorization(settings.auth());
    this.userAgent = userAgent;
    this.maxBatch = settings.maxBatch();
    this.queue = new SendQueue(settings.queueCapacity());
    this.clock = clock;
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
    if (settings.caFile() != null) {
      try {
        http.sslContext(ReceiverTrust.fromPemFile(settings.caFile()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    this.http = http.build();
    this.thread = new Thread(this::run, "vigia-remote-write-" + url.getAuthority());
    thread.setDaemon(true);
  }

  private static String authorization(RemoteWriteSettings.Auth auth) {
    if (auth.bearerToken() != null) {
      return "Bearer " + auth.bearerToken();
    }
    if (auth.user() != null) {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString(
                  (auth.user() + ":" + auth.password()).getBytes(StandardCharsets.UTF_8));
    }
    return null;
  }

  void start() {
    thread.start();
  }

  /** Queues a stored sample; never blocks. */
  void offer(String host, StoredSample sample) {
    if (queue.offer(new Pending(host, sample)) == 1) {
      log.warn(
          "Remote write to {}: the queue of {} samples is full; dropping the oldest (counted in"
              + " vigia_remote_write_dropped_samples_total{{reason=\"queue_full\"}})",
          shownUrl,
          queue.capacity());
    }
  }

  private void run() {
    while (!closed) {
      List<Pending> batch;
      try {
        batch = queue.take(maxBatch, 1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (batch.isEmpty()) {
        if (draining) {
          break;
        }
        continue;
      }
      inFlightOldest = batch.get(0).sample().time();
      try {
        deliver(batch);
      } catch (InterruptedException e) {
        break;
      } catch (RuntimeException e) {
        // A bug must not stop the sender for good: the batch is lost, counted and logged.
        rejected.computeIfAbsent("internal_error", r -> new AtomicLong()).addAndGet(batch.size());
        lastError = "internal error: " + e;
        log.error("Remote write to {}: dropping {} samples", shownUrl, batch.size(), e);
      } finally {
        inFlightOldest = null;
      }
    }
    int left = queue.clear();
    if (left > 0) {
      log.info("Remote write to {}: {} queued samples not sent at shutdown", shownUrl, left);
    }
  }

  private void deliver(List<Pending> batch) throws InterruptedException {
    WriteRequests.Encoded encoded = WriteRequests.encode(batch);
    byte[] body = WriteRequests.snappy(snappy, encoded.request().toByteArray());
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(url)
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Encoding", "snappy")
            .header("Content-Type", "application/x-protobuf")
            .header("User-Agent", userAgent)
            .header("X-Prometheus-Remote-Write-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    HttpRequest request = builder.build();
    for (int attempt = 1; !closed && !drainOver(); attempt++) {
      String failure;
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        Outcome outcome = Outcome.of(status);
        if (outcome == Outcome.DELIVERED) {
          sent.addAndGet(batch.size());
          seriesSent.addAndGet(encoded.seriesSamples());
          bytesSent.addAndGet(body.length);
          lastSuccess = clock.instant();
          if (failing) {
            failing = false;
            log.info("Remote write to {}: delivering again (after {} tries)", shownUrl, attempt);
          }
          return;
        }
        if (outcome == Outcome.REJECTED) {
          reject(status, response.body(), batch.size());
          return;
        }
        failure = "HTTP " + status + ": " + firstLine(response.body());
      } catch (IOException e) {
        failure =
            e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName()
                : e.getMessage();
        if (e instanceof java.net.ConnectException) {
          failure = "connection refused";
        } else if (e instanceof javax.net.ssl.SSLHandshakeException) {
          failure =
              "TLS handshake failed: "
                  + failure
                  + " (a receiver with a private CA needs --remote-write-ca-file)";
        }
      }
      retried.addAndGet(batch.size());
      lastError = failure;
      if (!failing) {
        failing = true;
        log.warn(
            "Remote write to {} failed ({}); retrying with backoff, queueing up to {} samples",
            shownUrl,
            failure,
            queue.capacity());
      }
      pause(retryDelay.before(attempt));
    }
  }

  private void reject(int status, String body, int samples) {
    String reason = "http_" + status;
    boolean first = rejected.computeIfAbsent(reason, r -> new AtomicLong()).getAndAdd(samples) == 0;
    lastError = "HTTP " + status + ": " + firstLine(body);
    if (first) {
      // Once per status: a receiver that refuses one request usually refuses them all alike.
      log.warn(
          "Remote write to {}: the receiver refused a request of {} samples with HTTP {} ({});"
              + " dropped, not retried. Further refusals with HTTP {} are only counted.",
          shownUrl,
          samples,
          status,
          firstLine(body),
          status);
    }
  }

  private static String firstLine(String body) {
    String line = body == null ? "" : body.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private void pause(Duration delay) throws InterruptedException {
    long millis = delay.toMillis();
    if (draining) {
      millis = Math.min(millis, TimeUnit.NANOSECONDS.toMillis(drainUntil - System.nanoTime()));
    }
    synchronized (sleep) {
      if (!closed && millis > 0) {
        sleep.wait(Math.max(1, millis));
      }
    }
  }

  private boolean drainOver() {
    return draining && System.nanoTime() - drainUntil >= 0;
  }

  /** The figures of this receiver now. */
  ReceiverStatus status() {
    Instant now = clock.instant();
    Instant oldest = inFlightOldest;
    if (oldest == null) {
      oldest = queue.oldestTime();
    }
    double lag =
        oldest == null ? 0 : Math.max(0, Duration.between(oldest, now).toMillis() / 1000.0);
    Map<String, Long> dropped = new TreeMap<>();
    dropped.put("queue_full", queue.droppedFull());
    rejected.forEach((reason, count) -> dropped.put(reason, count.get()));
    return new ReceiverStatus(
        shownUrl,
        sent.get(),
        seriesSent.get(),
        bytesSent.get(),
        retried.get(),
        dropped,
        queue.size(),
        queue.capacity(),
        lag,
        lastError,
        lastSuccess);
  }

  /** Sends what is queued for up to {@link #FLUSH_AT_SHUTDOWN}, then stops. */
  @Override
  public void close() {
    close(FLUSH_AT_SHUTDOWN);
  }

  /**
   * Sends what is queued for up to {@code flushWithin} (retrying as usual, without waiting past
   * it), then stops; what is left is logged. Idempotent.
   */
  void close(Duration flushWithin) {
    if (!closed && !draining) {
      int queued = queue.size();
      if (queued > 0 && !flushWithin.isZero()) {
        log.info(
            "Remote write to {}: sending {} queued samples before stopping (up to {} s)",
            shownUrl,
            queued,
            flushWithin.toSeconds());
      }
      drainUntil = System.nanoTime() + flushWithin.toNanos();
      draining = true;
      // A sender waiting out a retry delay tries once more now.
      synchronized (sleep) {
        sleep.notifyAll();
      }
    }
    try {
      thread.join(flushWithin.plusSeconds(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    synchronized (sleep) {
      sleep.notifyAll();
    }
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
