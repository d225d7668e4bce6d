package io.vigia.collector.http;

/**
 * Limits of the HTTP side, so that no request can make the collector buffer or render without
 * bound.
 *
 * @param maxRequestBytes a request (line, headers and body) larger than this is refused with 413
 * @param maxQuerySamples samples one history request may return; a larger {@code ?last=} is refused
 *     with 400, and without {@code last} the newest this many are returned
 */
public record HttpLimits(int maxRequestBytes, int maxQuerySamples) {

  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_QUERY_SAMPLES = 10_000;

  public static final HttpLimits DEFAULTS =
      new HttpLimits(DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_QUERY_SAMPLES);

  public HttpLimits {
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be at least 1024: " + maxRequestBytes);
    }
    if (maxQuerySamples < 1) {
      throw new IllegalArgumentException("maxQuerySamples must be positive: " + maxQuerySamples);
    }
  }
}
