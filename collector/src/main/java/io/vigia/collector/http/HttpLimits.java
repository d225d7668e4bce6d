package io.vigia.collector.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the HTTP side, so that no request can make the collector buffer or render without
 * bound, nor hold a connection by sending slowly.
 *
 * <p>Fixed limits: a request line (method, URL, version) of at most {@link #MAX_REQUEST_LINE_BYTES}
 * and headers of at most {@link #MAX_HEADER_BYTES} in all; beyond either the request is refused
 * with 400.
 *
 * @param maxRequestBytes a request body larger than this is refused with 413
 * @param maxQuerySamples samples one history request may return; a larger {@code ?last=} is refused
 *     with 400, and without {@code last} the newest this many are returned
 * @param headerTimeout a request's line and headers must arrive within this time of its first byte,
 *     else 408 and the connection is closed
 * @param requestTimeout the whole request, body included, must arrive within this time of its first
 *     byte, else 408 and the connection is closed
 */
public record HttpLimits(
    int maxRequestBytes, int maxQuerySamples, Duration headerTimeout, Duration requestTimeout) {

  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_QUERY_SAMPLES = 10_000;
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
  public static final int MAX_REQUEST_LINE_BYTES = 4096;
  public static final int MAX_HEADER_BYTES = 8192;

  public static final HttpLimits DEFAULTS =
      new HttpLimits(DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_QUERY_SAMPLES);

  /** The default timeouts. */
  public HttpLimits(int maxRequestBytes, int maxQuerySamples) {
    this(maxRequestBytes, maxQuerySamples, DEFAULT_HEADER_TIMEOUT, DEFAULT_REQUEST_TIMEOUT);
  }

  public HttpLimits {
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException(
          "maxRequestBytes must be at least 1024: " + maxRequestBytes);
    }
    if (maxQuerySamples < 1) {
      throw new IllegalArgumentException("maxQuerySamples must be positive: " + maxQuerySamples);
    }
    if (headerTimeout.compareTo(Duration.ofMillis(100)) < 0
        || headerTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException("--http-header-timeout must be within 100ms..10m");
    }
    if (requestTimeout.compareTo(headerTimeout) < 0
        || requestTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "--http-request-timeout must be within --http-header-timeout and 10m");
    }
  }
}
