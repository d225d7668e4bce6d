package io.vigia.collector.alert;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the collector alerts.
 *
 * @param enabled false evaluates no rule at all (the cost of alerting can be measured against it)
 * @param rulesFile the rules file ({@code --alert-rules}), or null for the built-in rules alone
 * @param alertmanagers Alertmanagers told of every alert ({@code --alertmanager})
 * @param webhooks webhooks told of every alert that fires or resolves ({@code --alert-webhook})
 * @param resend how often Alertmanager is told again of what still fires
 * @param queue stored samples waiting for the alert thread at most; past it they are counted and
 *     not evaluated
 * @param webhookQueue notifications waiting per webhook at most; past it the oldest is dropped
 * @param tick how often the clock's part runs (a lost host, stale series)
 */
public record AlertSettings(
    boolean enabled,
    Path rulesFile,
    List<URI> alertmanagers,
    List<URI> webhooks,
    Duration resend,
    int queue,
    int webhookQueue,
    Duration tick) {

  public static final Duration DEFAULT_RESEND = Duration.ofMinutes(1);
  public static final int DEFAULT_QUEUE = 65_536;
  public static final int DEFAULT_WEBHOOK_QUEUE = 10_000;

  /** The built-in rules, nobody to tell: what the builder starts from. */
  public static final AlertSettings DEFAULT =
      new AlertSettings(
          true,
          null,
          List.of(),
          List.of(),
          DEFAULT_RESEND,
          DEFAULT_QUEUE,
          DEFAULT_WEBHOOK_QUEUE,
          Duration.ofSeconds(1));

  public AlertSettings {
    alertmanagers = List.copyOf(alertmanagers);
    webhooks = List.copyOf(webhooks);
    Objects.requireNonNull(resend, "resend");
    Objects.requireNonNull(tick, "tick");
    for (URI url : alertmanagers) {
      check("--alertmanager", url);
    }
    for (URI url : webhooks) {
      check("--alert-webhook", url);
    }
    if (resend.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("--alert-resend must be at least 1s");
    }
    if (queue < 1024 || queue > 16 << 20) {
      throw new IllegalArgumentException(
          "--alert-queue must be within 1024..16777216 samples, not " + queue);
    }
    if (webhookQueue < 1 || webhookQueue > 1_000_000) {
      throw new IllegalArgumentException(
          "--alert-webhook-queue must be within 1..1000000, not " + webhookQueue);
    }
    if (tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("the alert tick must be positive");
    }
  }

  private static void check(String option, URI url) {
    String scheme = url.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || url.getHost() == null) {
      throw new IllegalArgumentException(
          option + " must be an http:// or https:// URL with a host, not " + url);
    }
  }

  public AlertSettings withRulesFile(Path file) {
    return new AlertSettings(
        enabled, file, alertmanagers, webhooks, resend, queue, webhookQueue, tick);
  }
}
