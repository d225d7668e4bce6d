package io.vigia.collector.ingest;

/** A frame decoded fine but says something the protocol does not allow. */
final class InvalidMessageException extends Exception {

  private static final long serialVersionUID = 1L;

  InvalidMessageException(String message) {
    super(message);
  }
}
