package io.vigia.collector.alert;

import java.io.IOException;

/**
 * The alert state file in the data directory is damaged or of a newer format; the message says
 * which and what to do.
 */
public final class AlertStatesException extends IOException {
  private static final long serialVersionUID = 1L;

  AlertStatesException(String message) {
    super(message);
  }
}
