package io.vigia.collector.registry;

/** Whether a host's agent is linked to the collector right now. */
public enum LinkState {
  /** A link is open and its handshake is done. */
  CONNECTED,
  /** The link closed without a Goodbye: crash, network fault or silence. */
  LOST,
  /** The agent said Goodbye. */
  LEFT
}
