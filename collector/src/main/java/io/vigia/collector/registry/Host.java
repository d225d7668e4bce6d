package io.vigia.collector.registry;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One host's mutable state: identity, link, counters and history.
 *
 * <p>Thread-safety: every method is synchronized on the host; readers leave with immutable copies
 * ({@link HostView}, lists of {@link StoredSample}).
 */
final class Host {

  private final int historyCapacity;
  private HostIdentity identity;
  private History history;
  private String address;
  private LinkState state;
  private Instant stateSince;
  private Instant lastSeen;
  private long linkId;
  private long lastSeq;

  Host(HostIdentity identity, int historyCapacity) {
    this.identity = identity;
    this.historyCapacity = historyCapacity;
    this.history = new History(historyCapacity, identity.cores());
  }

  /**
   * A link for this host completed its handshake; it becomes the current one.
   *
   * @return the highest sequence already stored for the link's epoch
   */
  synchronized long connect(
      long newLinkId, HostIdentity newIdentity, String from, Instant now, AtomicInteger connected) {
    if (state != LinkState.CONNECTED) {
      connected.incrementAndGet();
    }
    if (newIdentity.epoch() != identity.epoch()) {
      lastSeq = 0;
    }
    if (newIdentity.cores() != history.cores()) {
      // A machine with a new processor count starts a new history: the columns are per core.
      history = new History(historyCapacity, newIdentity.cores());
    }
    identity = newIdentity;
    linkId = newLinkId;
    address = from;
    state = LinkState.CONNECTED;
    stateSince = now;
    lastSeen = now;
    return lastSeq;
  }

  /**
   * Stores a sample of the current link unless it is stored already.
   *
   * @return true if stored, false if a duplicate (or from a link that is no longer current)
   */
  synchronized boolean append(long fromLinkId, StoredSample sample, Instant now) {
    if (fromLinkId != linkId || sample.epoch() != identity.epoch()) {
      return false;
    }
    lastSeen = now;
    if (sample.seq() <= lastSeq) {
      return false;
    }
    history.append(sample);
    lastSeq = sample.seq();
    return true;
  }

  /**
   * The link closed; the host stays with its history.
   *
   * @return false if the link was not the current one (a newer link replaced it)
   */
  synchronized boolean disconnect(
      long closedLinkId, boolean saidGoodbye, Instant now, AtomicInteger connected) {
    if (closedLinkId != linkId || state != LinkState.CONNECTED) {
      return false;
    }
    connected.decrementAndGet();
    state = saidGoodbye ? LinkState.LEFT : LinkState.LOST;
    stateSince = now;
    return true;
  }

  synchronized HostView view() {
    return new HostView(
        identity, address, state, stateSince, lastSeen, lastSeq, history.size(), history.latest());
  }

  synchronized List<StoredSample> last(int n) {
    return history.last(n);
  }
}
