package io.vigia.collector.registry;

/**
 * Learns of every sample the {@link HostRegistry} stores and every change of a host's link state,
 * as they happen (the live stream of the HTTP side listens this way).
 *
 * <p>Called on the thread that made the change (an agent link's event loop), after the host's lock
 * is released, in the order the changes were made for any one host. Implementations must return
 * quickly and never block: a slow listener would slow the agents' links. An exception it throws is
 * counted ({@link HostRegistry#listenerFailures()}) and otherwise ignored.
 */
@FunctionalInterface
public interface RegistryListener {

  /** {@code sample} was stored for host {@code hostId}. */
  void sampleStored(String hostId, StoredSample sample);

  /**
   * {@link #sampleStored(String, StoredSample)}, with how many samples the agent says it dropped so
   * far in this run (its spool being full); what the registry calls. Listeners that want the count
   * (alerting) override this one.
   */
  default void sampleStored(String hostId, StoredSample sample, long spoolDropped) {
    sampleStored(hostId, sample);
  }

  /**
   * A host connected, or its link closed; {@code host} is its state right after. Listeners that
   * follow samples only (remote write) need not implement it.
   */
  default void stateChanged(HostView host) {}
}
