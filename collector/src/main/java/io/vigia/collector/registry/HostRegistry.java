package io.vigia.collector.registry;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Every host the collector has heard of, by agent id, with its link state and a rolling history of
 * its samples. A host stays listed, with its history, after its link closes.
 *
 * <p>Writers are the sessions of the hosts' own links, each identified by a link id; a link that a
 * newer one replaced can no longer write. Samples are stored once per (agent, epoch, seq), whatever
 * the replays.
 *
 * <p>Thread-safety: safe for concurrent use. Each host is guarded by its own lock, held only for
 * the copy or the append, so readers never block writers for long; readers receive immutable
 * copies.
 */
public final class HostRegistry {

  private final ConcurrentHashMap<String, Host> hosts = new ConcurrentHashMap<>();
  private final AtomicInteger connected = new AtomicInteger();
  private final LongAdder storedSamples = new LongAdder();
  private final LongAdder repeatedSamples = new LongAdder();
  private final List<RegistryListener> listeners = new CopyOnWriteArrayList<>();
  private final LongAdder listenerFailures = new LongAdder();
  private final int historyCapacity;
  private final InstantSource clock;
  private volatile ChunkSink chunkSink = ChunkSink.NONE;

  /**
   * @param historyCapacity samples kept per host; the oldest are overwritten
   */
  public HostRegistry(int historyCapacity, InstantSource clock) {
    if (historyCapacity < 1) {
      throw new IllegalArgumentException("history capacity must be positive: " + historyCapacity);
    }
    this.historyCapacity = historyCapacity;
    this.clock = clock;
  }

  /**
   * A link completed its handshake for {@code identity}; it becomes the host's current link. A link
   * still open for the same id is replaced: {@code closeLink} of that link runs (on this thread,
   * outside any lock) and it can no longer write.
   *
   * @param linkId unique per link for the collector's lifetime
   * @param address the link's remote address, "host:port"
   * @param closeLink closes this link, should a later one replace it; must not block
   */
  public Connected connect(long linkId, HostIdentity identity, String address, Runnable closeLink) {
    return connect(linkId, identity, address, closeLink, at -> {});
  }

  /**
   * {@link #connect(long, HostIdentity, String, Runnable)}, running {@code whileLocked} with the
   * time of the change while the host's lock is still held: a log of the registry's changes written
   * there keeps their order for the host.
   */
  public Connected connect(
      long linkId,
      HostIdentity identity,
      String address,
      Runnable closeLink,
      Consumer<Instant> whileLocked) {
    Instant now = clock.instant();
    Host.Takeover[] takeover = new Host.Takeover[1];
    // Created and connected in one step, so that a reader never lists a host without a state.
    hosts.compute(
        identity.id(),
        (id, known) -> {
          Host host = known != null ? known : new Host(identity, historyCapacity);
          takeover[0] =
              host.connect(
                  linkId, identity, address, now, closeLink, connected, whileLocked, chunkSink);
          return host;
        });
    if (takeover[0].closeReplaced() != null) {
      takeover[0].closeReplaced().run();
    }
    notifyState(identity.id());
    return new Connected(
        takeover[0].lastStoredSeq(), connected.get(), takeover[0].replacedAddress());
  }

  /** {@link #connect(long, HostIdentity, String, Runnable)} for a link nothing needs to close. */
  public Connected connect(long linkId, HostIdentity identity, String address) {
    return connect(linkId, identity, address, () -> {});
  }

  /**
   * The outcome of {@link #connect}.
   *
   * @param lastStoredSeq the highest sequence stored for the link's epoch (0: none)
   * @param connectedHosts hosts connected once this one is
   * @param replacedAddress the address of the link this one replaced, or null
   */
  public record Connected(long lastStoredSeq, int connectedHosts, String replacedAddress) {}

  /**
   * Stores a sample that arrived on link {@code linkId}.
   *
   * @param spoolDropped how many samples the agent says it dropped so far in this epoch
   * @return true if stored; false if it was stored already (counted as a duplicate) or the link is
   *     no longer current
   */
  public boolean append(long linkId, String hostId, StoredSample sample, long spoolDropped) {
    return append(linkId, hostId, sample, spoolDropped, null);
  }

  /**
   * {@link #append(long, String, StoredSample, long)}, running {@code whenStored} (if not null)
   * while the host's lock is held, only if the sample was stored.
   */
  public boolean append(
      long linkId, String hostId, StoredSample sample, long spoolDropped, Runnable whenStored) {
    Host host = hosts.get(hostId);
    if (host == null) {
      return false;
    }
    boolean stored =
        host.append(linkId, sample, spoolDropped, clock.instant(), whenStored, chunkSink);
    (stored ? storedSamples : repeatedSamples).increment();
    if (stored) {
      for (RegistryListener listener : listeners) {
        try {
          listener.sampleStored(hostId, sample, spoolDropped);
        } catch (RuntimeException e) {
          listenerFailures.increment();
        }
      }
    }
    return stored;
  }

  /** {@link #append(long, String, StoredSample, long)} from an agent that dropped nothing. */
  public boolean append(long linkId, String hostId, StoredSample sample) {
    return append(linkId, hostId, sample, 0);
  }

  /** Samples stored since the collector started. */
  public long storedSamples() {
    return storedSamples.sum();
  }

  /** Samples that arrived again (replays of stored ones, or from a replaced link) and were not. */
  public long repeatedSamples() {
    return repeatedSamples.sum();
  }

  /**
   * Link {@code linkId} closed: its host becomes {@code LEFT} after a Goodbye, else {@code LOST},
   * and keeps its history.
   *
   * @return the number of hosts still connected, or empty if a newer link had replaced this one
   *     (the host stays connected)
   */
  public OptionalInt disconnect(long linkId, String hostId, boolean saidGoodbye) {
    return disconnect(linkId, hostId, saidGoodbye, at -> {});
  }

  /**
   * {@link #disconnect(long, String, boolean)}, running {@code whileLocked} with the time of the
   * change under the host's lock, only if the host's state changed.
   */
  public OptionalInt disconnect(
      long linkId, String hostId, boolean saidGoodbye, Consumer<Instant> whileLocked) {
    Host host = hosts.get(hostId);
    if (host == null
        || !host.disconnect(linkId, saidGoodbye, clock.instant(), connected, whileLocked)) {
      return OptionalInt.empty();
    }
    int stillConnected = connected.get();
    notifyState(hostId);
    return OptionalInt.of(stillConnected);
  }

  /**
   * Adds a listener told of every sample stored and every link state change from now on; see {@link
   * RegistryListener} for the threads it is called on.
   */
  public void addListener(RegistryListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void removeListener(RegistryListener listener) {
    listeners.remove(listener);
  }

  /** Exceptions that listeners threw, ignored. */
  public long listenerFailures() {
    return listenerFailures.sum();
  }

  private void notifyState(String hostId) {
    if (listeners.isEmpty()) {
      return;
    }
    Host host = hosts.get(hostId);
    if (host == null) {
      return;
    }
    HostView view = host.view();
    for (RegistryListener listener : listeners) {
      try {
        listener.stateChanged(view);
      } catch (RuntimeException e) {
        listenerFailures.increment();
      }
    }
  }

  /** Every host, sorted by id. */
  public List<HostView> hosts() {
    return hosts.values().stream()
        .map(Host::view)
        .sorted(Comparator.comparing(HostView::id))
        .toList();
  }

  public Optional<HostView> host(String id) {
    return Optional.ofNullable(hosts.get(id)).map(Host::view);
  }

  /** The host's newest {@code last} samples, oldest first; empty if the host is unknown. */
  public Optional<List<StoredSample>> history(String id, int last) {
    return Optional.ofNullable(hosts.get(id)).map(host -> host.last(last));
  }

  /**
   * From now on, every chunk of a host's history is handed to {@code sink} as it is sealed (also
   * while samples are restored at start). Set before the store is read back.
   */
  public void persistChunks(ChunkSink sink) {
    this.chunkSink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * Seals every host's open chunk now and hands it to the {@link #persistChunks sink}, one host at
   * a time under its lock: every sample stored before the call is then in a sealed chunk.
   */
  public void sealChunks() {
    ChunkSink sink = chunkSink;
    for (Host host : hosts.values()) {
      host.sealOpen(sink);
    }
  }

  /**
   * Restores a host's link from the store at start, before any link is accepted: the host takes
   * {@code identity} (a new epoch starts its sequence again) and is {@code LOST} since {@code at},
   * its link being gone with the previous run. Notifies no listener.
   *
   * @return true if the host was new to the registry
   */
  public boolean restoreHello(HostIdentity identity, String address, Instant at) {
    boolean[] created = new boolean[1];
    hosts.compute(
        identity.id(),
        (id, known) -> {
          created[0] = known == null;
          Host host = known != null ? known : new Host(identity, historyCapacity);
          host.restoreHello(identity, address, at, chunkSink);
          return host;
        });
    return created[0];
  }

  /**
   * Gives a host just restored by {@link #restoreHello} the chunks an earlier run sealed for it
   * (their bodies as {@link ChunkSink} received them, oldest first), before any of its samples.
   *
   * @param olderEpochs epochs and last sequence numbers (pairs) of its older chunks, oldest first
   * @return the samples now in memory from them
   * @throws IllegalArgumentException if a body is not a chunk this version reads
   */
  public int restoreChunks(String hostId, List<ByteBuffer> bodies, long[] olderEpochs) {
    Host host = hosts.get(hostId);
    return host == null ? 0 : host.adoptChunks(bodies, olderEpochs);
  }

  /**
   * The epochs of a chunk body with the last sequence number of each, as pairs: what a chunk that
   * stays out of memory still tells {@link #restoreChunks}.
   *
   * @throws IllegalArgumentException if the body is not a chunk this version reads
   */
  public static long[] chunkEpochs(ByteBuffer body) {
    return ChunkCodec.decode(body).chunk().epochs();
  }

  /** What {@link #restoreSample} did with a sample. */
  public enum Restored {
    STORED,
    /** Its sequence number is stored already (in a chunk restored before it): a copy. */
    ALREADY_STORED,
    /** Its host is unknown or its epoch is not the host's current one. */
    REFUSED
  }

  /** Restores a stored sample at start. */
  public Restored restoreSample(String hostId, StoredSample sample, long spoolDropped) {
    Host host = hosts.get(hostId);
    return host == null ? Restored.REFUSED : host.restoreSample(sample, spoolDropped, chunkSink);
  }

  /** Restores how a host's last link closed, at start. */
  public void restoreLink(String hostId, boolean saidGoodbye, Instant at) {
    Host host = hosts.get(hostId);
    if (host != null) {
      host.restoreLink(saidGoodbye, at);
    }
  }

  /** The clock that stamps link states and arrivals. */
  public InstantSource clock() {
    return clock;
  }

  /** Samples kept per host. */
  public int historyCapacity() {
    return historyCapacity;
  }

  /** Hosts whose link is open now. */
  public int connectedCount() {
    return connected.get();
  }
}
