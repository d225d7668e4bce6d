package io.vigia.collector.ingest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * One WARN line per event, but at most one per reason every {@link #PERIOD_NANOS}: a flood of bad
 * links cannot flood the log. The next line that gets through says how many were left out.
 *
 * <pre>
 * Rejecting the link from 10.0.0.9:50312: too many links from 10.0.0.9 (256) (4127 more like this
 * in the last 10s not logged)
 * </pre>
 *
 * <p>Thread-safety: safe for concurrent use by every link's event loop.
 */
final class RateLimitedLog {

  static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Logger log;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  RateLimitedLog(Logger log, LongSupplier nanoTime) {
    this.log = log;
    this.nanoTime = nanoTime;
  }

  RateLimitedLog(Logger log) {
    this(log, System::nanoTime);
  }

  /** Logs {@code message} at WARN unless a line for {@code reason} went out less than 10 s ago. */
  void warn(String reason, String message) {
    long now = nanoTime.getAsLong();
    long[] suppressed = {-1};
    windows.compute(
        reason,
        (key, window) -> {
          if (window == null || now - window.started >= PERIOD_NANOS) {
            suppressed[0] = window == null ? 0 : window.suppressed;
            return new Window(now, 0);
          }
          return new Window(window.started, window.suppressed + 1);
        });
    if (suppressed[0] < 0) {
      return;
    }
    if (suppressed[0] == 0) {
      log.warn(message);
    } else {
      log.warn(
          "{} ({} more like this in the last {}s not logged)",
          message,
          suppressed[0],
          TimeUnit.NANOSECONDS.toSeconds(PERIOD_NANOS));
    }
  }

  private record Window(long started, long suppressed) {}
}
