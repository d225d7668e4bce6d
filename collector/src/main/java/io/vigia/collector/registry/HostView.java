package io.vigia.collector.registry;

import java.time.Instant;
import java.util.Optional;

/**
 * An immutable copy of what the collector knows about one host, taken at one moment.
 *
 * @param address the remote address of the current or last link, "host:port"
 * @param stateSince when the current state began
 * @param lastSeen when the collector last heard from the agent
 * @param lastSeq the highest sequence stored in the current epoch
 * @param samples how many samples the history holds
 * @param latest the newest stored sample, if any
 * @param delivery counters of replays and losses
 */
public record HostView(
    HostIdentity identity,
    String address,
    LinkState state,
    Instant stateSince,
    Instant lastSeen,
    long lastSeq,
    int samples,
    Optional<StoredSample> latest,
    Delivery delivery) {

  /**
   * How delivery from this host went.
   *
   * @param spoolDropped samples the agent dropped in this epoch, its spool being full
   * @param duplicates snapshots that arrived again after being stored, and were ignored
   * @param links links the host has opened since the collector started
   */
  public record Delivery(long spoolDropped, long duplicates, int links) {
    public static final Delivery NONE = new Delivery(0, 0, 0);
  }

  /** A view without delivery counters. */
  public HostView(
      HostIdentity identity,
      String address,
      LinkState state,
      Instant stateSince,
      Instant lastSeen,
      long lastSeq,
      int samples,
      Optional<StoredSample> latest) {
    this(identity, address, state, stateSince, lastSeen, lastSeq, samples, latest, Delivery.NONE);
  }

  public String id() {
    return identity.id();
  }
}
