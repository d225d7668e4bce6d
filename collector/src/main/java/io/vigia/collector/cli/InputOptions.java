package io.vigia.collector.cli;

import io.vigia.collector.CollectorConfigBuilder;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * What the collector accepts from agents and HTTP clients in time: the window of sample times and
 * how long an HTTP request may take to arrive; a mixin of {@link CollectorCommand}.
 */
final class InputOptions {

  @Option(
      names = "--max-clock-skew",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description =
          "A sample dated more than this after the collector's clock is refused, and so is one"
              + " older than --max-sample-age plus this (default: ${DEFAULT-VALUE}).")
  Duration maxClockSkew;

  @Option(
      names = "--max-sample-age",
      paramLabel = "DURATION",
      defaultValue = "7d",
      description =
          "The oldest sample an agent may replay from its spool (the agent's --spool;"
              + " default: ${DEFAULT-VALUE}).")
  Duration maxSampleAge;

  @Option(
      names = "--http-header-timeout",
      paramLabel = "DURATION",
      defaultValue = "10s",
      description =
          "An HTTP request's line and headers must arrive within this time of its first byte,"
              + " else 408 and the connection is closed (default: ${DEFAULT-VALUE}).")
  Duration httpHeaderTimeout;

  @Option(
      names = "--http-request-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      description =
          "A whole HTTP request, body included, must arrive within this time of its first byte"
              + " (default: ${DEFAULT-VALUE}).")
  Duration httpRequestTimeout;

  CollectorConfigBuilder applyTo(CollectorConfigBuilder settings) {
    return settings
        .maxClockSkew(maxClockSkew)
        .maxSampleAge(maxSampleAge)
        .httpHeaderTimeout(httpHeaderTimeout)
        .httpRequestTimeout(httpRequestTimeout);
  }
}
