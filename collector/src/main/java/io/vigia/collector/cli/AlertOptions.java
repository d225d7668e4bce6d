package io.vigia.collector.cli;

import io.vigia.codec.Durations;
import io.vigia.collector.CollectorConfigBuilder;
import io.vigia.collector.alert.AlertRulesException;
import io.vigia.collector.alert.AlertSettings;
import io.vigia.collector.alert.Alerting;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The collector's alerting options; a mixin of {@link CollectorCommand}, placed where these options
 * appear in its help.
 */
final class AlertOptions {

  @Option(
      names = "--alert-rules",
      paramLabel = "FILE",
      description =
          "Alerting rules in the layout of a Prometheus rules file: retune or switch off the"
              + " built-in ones, add your own (see the README, Alerts). Read again on SIGHUP."
              + " Unset: the built-in rules.")
  Path alertRules;

  @Option(
      names = "--alerts",
      paramLabel = "on|off",
      defaultValue = "on",
      description = "Evaluate alerting rules at all (default: ${DEFAULT-VALUE}).")
  String alerts;

  @Option(
      names = "--alertmanager",
      paramLabel = "URL",
      split = ",",
      description =
          "Send alerts to this Alertmanager (v2 API), for example http://127.0.0.1:9093; repeat"
              + " it for several. None by default.")
  List<URI> alertmanagers;

  @Option(
      names = "--alert-webhook",
      paramLabel = "URL",
      split = ",",
      description =
          "POST each alert that fires or resolves to this URL as JSON, retrying until it is"
              + " taken; repeat it for several. None by default.")
  List<URI> webhooks;

  @Option(
      names = "--alert-resend",
      paramLabel = "DURATION",
      defaultValue = "1m",
      description =
          "How often Alertmanager is told again of what still fires (default: ${DEFAULT-VALUE}).")
  String resend;

  @Option(
      names = "--alert-webhook-queue",
      paramLabel = "N",
      defaultValue = "" + AlertSettings.DEFAULT_WEBHOOK_QUEUE,
      description =
          "Notifications waiting per webhook while it is down; when full the oldest are dropped"
              + " and counted (default: ${DEFAULT-VALUE}).")
  int webhookQueue;

  CollectorConfigBuilder applyTo(CollectorConfigBuilder settings, CommandLine cli) {
    if (!alerts.equals("on") && !alerts.equals("off")) {
      throw new ParameterException(cli, "--alerts must be on or off, not " + alerts);
    }
    Duration resendEvery;
    try {
      resendEvery = Durations.parse(resend);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cli, "--alert-resend: " + e.getMessage());
    }
    try {
      return settings.alerts(
          new AlertSettings(
              alerts.equals("on"),
              alertRules,
              alertmanagers != null ? alertmanagers : List.of(),
              webhooks != null ? webhooks : List.of(),
              resendEvery,
              AlertSettings.DEFAULT_QUEUE,
              webhookQueue,
              AlertSettings.DEFAULT.tick()));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cli, e.getMessage());
    }
  }

  /**
   * Reads the rules file once, so that a fault stops the start with exit code 2.
   *
   * @throws ParameterException naming the file, the line and what is wrong
   */
  void checkRules(CommandLine cli) {
    if (alertRules == null || alerts.equals("off")) {
      return;
    }
    try {
      Alerting.check(alertRules);
    } catch (AlertRulesException e) {
      throw new ParameterException(cli, "--alert-rules: " + e.getMessage());
    }
  }
}
