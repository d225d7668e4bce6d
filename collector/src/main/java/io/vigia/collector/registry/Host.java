package io.vigia.collector.registry;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
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
      Consumer<Instant> whileLocked,
      ChunkSink chunks) {
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
      newHistory(newIdentity.cores(), chunks);
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
      Runnable whenStored,
      ChunkSink chunks) {
    if (fromLinkId != linkId || sample.epoch() != identity.epoch()) {
      return false;
    }
    lastSeen = now;
    spoolDropped = Math.max(spoolDropped, agentSpoolDropped);
    if (sample.seq() <= lastSeq) {
      duplicates++;
      return false;
    }
    History.Chunk sealed = history.append(sample);
    lastSeq = sample.seq();
    if (whenStored != null) {
      whenStored.run();
    }
    if (sealed != null) {
      emit(sealed, chunks);
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
  synchronized void restoreHello(HostIdentity restored, String from, Instant at, ChunkSink chunks) {
    if (restored.epoch() != identity.epoch()) {
      lastSeq = switchEpoch(restored.epoch());
      spoolDropped = 0;
    }
    if (restored.cores() != history.cores()) {
      newHistory(restored.cores(), chunks);
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
  synchronized HostRegistry.Restored restoreSample(
      StoredSample sample, long agentSpoolDropped, ChunkSink chunks) {
    if (sample.epoch() != identity.epoch()) {
      return HostRegistry.Restored.REFUSED;
    }
    if (sample.seq() <= lastSeq) {
      return HostRegistry.Restored.ALREADY_STORED;
    }
    History.Chunk sealed = history.append(sample);
    lastSeq = sample.seq();
    spoolDropped = Math.max(spoolDropped, agentSpoolDropped);
    if (sealed != null) {
      emit(sealed, chunks);
    }
    return HostRegistry.Restored.STORED;
  }

  /**
   * {@link HostRegistry#restoreChunks}: takes the chunks an earlier run sealed (oldest first) as
   * the oldest part of the history, and the last sequence number of every epoch they hold, so that
   * replays of those samples are recognised. Chunks written for another processor count than the
   * host's now stay out of memory (their epochs still count).
   *
   * @return the samples adopted into memory
   */
  synchronized int adoptChunks(List<ByteBuffer> bodies, long[] olderEpochs) {
    for (int i = 0; i < olderEpochs.length; i += 2) {
      noteStored(olderEpochs[i], olderEpochs[i + 1]);
    }
    List<History.Chunk> fitting = new ArrayList<>(bodies.size());
    for (ByteBuffer body : bodies) {
      ChunkCodec.Decoded decoded = ChunkCodec.decode(body);
      if (decoded.cores() == history.cores()) {
        fitting.add(decoded.chunk());
      } else {
        fitting.clear(); // only the newest run of one processor count continues the history
      }
      long[] epochs = decoded.chunk().epochs();
      for (int i = 0; i < epochs.length; i += 2) {
        noteStored(epochs[i], epochs[i + 1]);
      }
    }
    int adopted = 0;
    for (History.Chunk chunk : fitting) {
      history.adopt(chunk);
      adopted += chunk.samples();
    }
    return Math.min(adopted, historyCapacity);
  }

  /** A sample of {@code epoch} up to {@code seq} is stored (in a chunk read back at start). */
  private void noteStored(long epoch, long seq) {
    if (epoch == identity.epoch()) {
      lastSeq = Math.max(lastSeq, seq);
      return;
    }
    Long known = earlierEpochs.remove(epoch);
    earlierEpochs.put(epoch, known == null ? seq : Math.max(known, seq));
    while (earlierEpochs.size() > EARLIER_EPOCHS) {
      earlierEpochs.remove(earlierEpochs.keySet().iterator().next());
    }
  }

  /** {@link HostRegistry#sealChunks}: seals the open chunk, if any sample is in it. */
  synchronized void sealOpen(ChunkSink chunks) {
    History.Chunk sealed = history.sealOpen();
    if (sealed != null) {
      emit(sealed, chunks);
    }
  }

  private void newHistory(int cores, ChunkSink chunks) {
    History.Chunk sealed = history.sealOpen();
    if (sealed != null) {
      emit(sealed, chunks);
    }
    history = new History(historyCapacity, cores);
  }

  private void emit(History.Chunk chunk, ChunkSink chunks) {
    chunks.sealed(
        identity.id(),
        chunk.samples(),
        chunk.minTime(),
        chunk.maxTime(),
        ChunkCodec.encode(chunk, history.cores()));
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
