package io.vigia.collector.remotewrite;

import java.time.Instant;
import java.util.Map;

/**
 * How pushing to one receiver goes, at one moment. Counts are Vigia samples (stored snapshots)
 * unless named otherwise.
 *
 * @param url the receiver, without credentials
 * @param sent delivered (answered 2xx)
 * @param seriesSamplesSent the Prometheus samples (values of one series) the delivered ones became
 * @param bytesSent compressed request bodies delivered
 * @param retried sent again after a network error, a 5xx or a 429, once per retry
 * @param dropped lost on this path, by reason ({@code queue_full}, {@code http_400}, ...)
 * @param queued waiting now
 * @param queueCapacity the most that can wait
 * @param lagSeconds age of the oldest sample not delivered yet; 0 when none waits
 * @param lastError the last failure, or ""
 * @param lastSuccess when a request was last delivered, or null
 */
public record ReceiverStatus(
    String url,
    long sent,
    long seriesSamplesSent,
    long bytesSent,
    long retried,
    Map<String, Long> dropped,
    int queued,
    int queueCapacity,
    double lagSeconds,
    String lastError,
    Instant lastSuccess) {

  public ReceiverStatus {
    dropped = Map.copyOf(dropped);
  }

  /** Dropped for any reason. */
  public long droppedTotal() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }
}
