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
 */
public record HostView(
    HostIdentity identity,
    String address,
    LinkState state,
    Instant stateSince,
    Instant lastSeen,
    long lastSeq,
    int samples,
    Optional<StoredSample> latest) {

  public String id() {
    return identity.id();
  }
}
