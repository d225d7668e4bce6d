package io.vigia.collector.registry;

/**
 * Told of every sample the {@link HostRegistry} stores, once, right after it is stored (replays of
 * stored samples are not passed on).
 *
 * <p>Called on the thread of the link that delivered the sample, an event loop, outside any host
 * lock: an implementation must return at once and never block (hand the sample to a queue).
 */
@FunctionalInterface
public interface SampleListener {

  /** {@code sample} of host {@code hostId} was stored. */
  void stored(String hostId, StoredSample sample);
}
