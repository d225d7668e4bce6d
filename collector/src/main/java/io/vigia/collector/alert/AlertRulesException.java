package io.vigia.collector.alert;

/** A rules file cannot be used; the message names the file, the line and what is wrong. */
public final class AlertRulesException extends Exception {
  private static final long serialVersionUID = 1L;

  AlertRulesException(String message) {
    super(message);
  }
}
