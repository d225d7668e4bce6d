package io.vigia.collector.remotewrite;

/**
 * What to do after a receiver answered a request: remote write 1.0 says 2xx is delivered, 5xx and
 * 429 (too many requests) are worth trying again, any other 4xx will fail the same way again.
 */
enum Outcome {
  DELIVERED,
  RETRY,
  REJECTED;

  static Outcome of(int status) {
    if (status >= 200 && status < 300) {
      return DELIVERED;
    }
    if (status >= 500 || status == 429) {
      return RETRY;
    }
    return REJECTED;
  }
}
