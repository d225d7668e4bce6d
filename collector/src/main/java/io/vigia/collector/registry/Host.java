package io.vigia.collector.registry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One host's mutable state: identity, link, counters and history.
 *
 * <p>Thread-safety: every method is synchronized on the host; readers leave with immutable copies
 * ({@link HostView}, lists of {@link StoredSample}).
 */
final class Host {

  /** How many earlier epochs keep their last sequence. */
  static final int EARLIER_EPOCHS = 16;

  private final int historyCapacity;
  private HostIdentity identity;
  private History history;
  private String address;
  private LinkState state;
  private Instant stateSince;
  private Instant lastSeen;
  private long linkId;
  private Runnable closeLink;
  private long lastSeq;
  // The last sequence of the epochs before the current one (the newest few): an agent that
  // restarted replays each earlier run's spool under its own epoch, and a replay cut short and
  // repeated must still be deduplicated.
  private final LinkedHashMap<Long, Long> earlierEpochs = new LinkedHashMap<>();
  private long spoolDropped;
  private long duplicates;
  private int links;

  Host(HostIdentity identity, int historyCapacity) {
    this.identity = identity;
    this.historyCapacity = historyCapacity;
    this.history = new History(historyCapacity, identity.cores());
  }

  /** What {@link #connect} found and did. */
  record Takeover(long lastStoredSeq, String replacedAddress, Runnable closeReplaced) {}

  /**
   * A link for this host completed its handshake; it becomes the current one, replacing any link
   * still open for the same id.
   *
   * @param closeNewLink how to close the new link, should a later one replace it
   * @return the highest sequence already stored for the link's epoch, and the link replaced
   */
  synchronized Takeover connect(
      long newLinkId,
      HostIdentity newIdentity,
      String from,
      Instant now,
      Runnable closeNewLink,
      AtomicInteger connected,
      Consumer<Instant> whileLocked) {
    String replacedAddress = null;
    Runnable closeReplaced = null;
    if (state == LinkState.CONNECTED) {
      replacedAddress = address;
      closeReplaced = closeLink;
    } else {
      connected.incrementAndGet();
    }
    if (newIdentity.epoch() != identity.epoch()) {
      lastSeq = switchEpoch(newIdentity.epoch());
      spoolDropped = 0;
    }
    if (newIdentity.cores() != history.cores()) {
      // A machine with a new processor count starts a new history: the columns are per core.
      history = new History(historyCapacity, newIdentity.cores());
    }
    identity = newIdentity;
    linkId = newLinkId;
    closeLink = closeNewLink;
    links++;
    address = from;
    state = LinkState.CONNECTED;
    stateSince = now;
    lastSeen = now;
    whileLocked.accept(now);
    return new Takeover(lastSeq, replacedAddress, closeReplaced);
  }

  /**
   * Stores a sample of the current link unless it is stored already.
   *
   * @return true if stored, false if a duplicate (or from a link that is no longer current)
   */
  synchronized boolean append(
      long fromLinkId,
      StoredSample sample,
      long agentSpoolDropped,
      Instant now,
      Runnable whenStored) {
    if (fromLinkId != linkId || sample.epoch() != identity.epoch()) {
      return false;
    }
    lastSeen = now;
    spoolDropped = Math.max(spoolDropped, agentSpoolDropped);
    if (sample.seq() <= lastSeq) {
      duplicates++;
      return false;
    }
    history.append(sample);
    lastSeq = sample.seq();
    if (whenStored != null) {
      whenStored.run();
    }
    return true;
  }

  /**
   * The link closed; the host stays with its history.
   *
   * @return false if the link was not the current one (a newer link replaced it)
   */
  synchronized boolean disconnect(
      long closedLinkId,
      boolean saidGoodbye,
      Instant now,
      AtomicInteger connected,
      Consumer<Instant> whileLocked) {
    if (closedLinkId != linkId || state != LinkState.CONNECTED) {
      return false;
    }
    connected.decrementAndGet();
    closeLink = null;
    state = saidGoodbye ? LinkState.LEFT : LinkState.LOST;
    stateSince = now;
    whileLocked.accept(now);
    return true;
  }

  /** {@link HostRegistry#restoreHello}: like a connect, but the link is gone already. */
  synchronized void restoreHello(HostIdentity restored, String from, Instant at) {
    if (restored.epoch() != identity.epoch()) {
      lastSeq = switchEpoch(restored.epoch());
      spoolDropped = 0;
    }
    if (restored.cores() != history.cores()) {
      history = new History(historyCapacity, restored.cores());
    }
    identity = restored;
    address = from;
    state = LinkState.LOST;
    stateSince = at;
    if (lastSeen == null || at.isAfter(lastSeen)) {
      lastSeen = at;
    }
  }

  /** {@link HostRegistry#restoreSample}. */
  synchronized boolean restoreSample(StoredSample sample, long agentSpoolDropped) {
    if (sample.epoch() != identity.epoch() || sample.seq() <= lastSeq) {
      return false;
    }
    history.append(sample);
    lastSeq = sample.seq();
    spoolDropped = Math.max(spoolDropped, agentSpoolDropped);
    return true;
  }

  /** {@link HostRegistry#restoreLink}. */
  synchronized void restoreLink(boolean saidGoodbye, Instant at) {
    state = saidGoodbye ? LinkState.LEFT : LinkState.LOST;
    stateSince = at;
    if (lastSeen == null || at.isAfter(lastSeen)) {
      lastSeen = at;
    }
  }

  /** Keeps the current epoch's last sequence; returns the one stored for {@code epoch}, or 0. */
  private long switchEpoch(long epoch) {
    earlierEpochs.put(identity.epoch(), lastSeq);
    Long last = earlierEpochs.remove(epoch);
    while (earlierEpochs.size() > EARLIER_EPOCHS) {
      earlierEpochs.remove(earlierEpochs.keySet().iterator().next());
    }
    return last == null ? 0 : last;
  }

  synchronized HostView view() {
    return new HostView(
        identity,
        address,
        state,
        stateSince,
        lastSeen,
        lastSeq,
        history.size(),
        history.latest(),
        new HostView.Delivery(spoolDropped, duplicates, links));
  }

  synchronized List<StoredSample> last(int n) {
    return history.last(n);
  }
}
