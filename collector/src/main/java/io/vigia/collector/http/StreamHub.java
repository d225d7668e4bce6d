package io.vigia.collector.http;

import io.netty.channel.Channel;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.RegistryListener;
import io.vigia.collector.registry.StoredSample;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the registry's changes into server-sent events and fans them out to the clients of {@code
 * GET /api/v1/stream}.
 *
 * <p>The agents' links only hand each change over: {@link #sampleStored} and {@link #stateChanged}
 * put it on a bounded queue and return, never blocking and never rendering. When the queue is full
 * the change is dropped and counted ({@code queue_full}), so a slow HTTP side or a slow client
 * costs the links nothing. The HTTP side {@link #drain drains} the queue every {@link
 * #DRAIN_MILLIS} ms on its own event loop ({@link #start}); there each change becomes an event with
 * the next id (monotonic, and larger than any id of an earlier collector run on this machine's
 * clock, since ids start at the start time in microseconds), is kept in a bounded buffer of recent
 * events for clients that reconnect with {@code Last-Event-ID}, and, when clients follow, is
 * rendered once and put on each client's own bounded queue ({@link StreamClient}). A client whose
 * queue is full (it reads slower than events come) is closed ({@code too_slow}), never buffered
 * without bound. After changes were dropped, the next drain sends an event "reset" (at most one a
 * second), which tells clients to reload the hosts.
 *
 * <p>Thread-safety: the hand-off queue and the drop counters are safe for concurrent use by every
 * link's event loop; everything else (ids, the recent events, the clients) is guarded by this hub's
 * lock, which only the HTTP side takes (the drain, clients subscribing and leaving).
 */
final class StreamHub implements RegistryListener {

  static final int DEFAULT_RECENT = 4096;
  static final int DEFAULT_CLIENT_QUEUE = 1024;
  static final int DEFAULT_HANDOFF = 16384;

  /** How often the HTTP side takes what the links handed over: the stream's added latency. */
  static final long DRAIN_MILLIS = 10;

  private static final long RESET_EVERY_MILLIS = 1000;
  private static final long LOG_EVERY_MILLIS = 10_000;
  private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

  /**
   * One event: its id, and its SSE text (blank line included) rendered on first use. Most events
   * are never read by anyone (no dashboard open, nobody reconnecting), and rendering one to JSON
   * costs several times what storing the sample did, so it waits until a client needs it.
   *
   * <p>Used only under the hub's lock.
   */
  private static final class Event {
    final long id;
    private StreamEvents.Change source;
    private String text;

    Event(long id, StreamEvents.Change source) {
      this.id = id;
      this.source = source;
    }

    String text() {
      if (text == null) {
        text = StreamEvents.render(source.event().setId(id));
        source = null;
      }
      return text;
    }
  }

  private final InstantSource clock;
  private final int recentCapacity;
  private final int clientQueue;
  private final int handoffCapacity;
  private final ArrayBlockingQueue<StreamEvents.Change> handoff;
  private final LongAdder droppedQueueFull = new LongAdder();
  private final LongAdder closedTooSlow = new LongAdder();
  // Guarded by this.
  private final ArrayDeque<Event> recent = new ArrayDeque<>();
  private final Set<StreamClient> clients = new HashSet<>();
  private final List<StreamEvents.Change> batch = new ArrayList<>();
  private long lastId;
  private long dropsAnnounced;
  private long lastResetMillis;
  private long dropsLogged;
  private long lastLogMillis;

  StreamHub(InstantSource clock, int recentCapacity, int clientQueue, int handoffCapacity) {
    if (recentCapacity < 1 || clientQueue < 1 || handoffCapacity < 1) {
      throw new IllegalArgumentException(
          "buffers must be positive: "
              + recentCapacity
              + ", "
              + clientQueue
              + ", "
              + handoffCapacity);
    }
    this.clock = clock;
    this.recentCapacity = recentCapacity;
    this.clientQueue = clientQueue;
    this.handoffCapacity = handoffCapacity;
    this.handoff = new ArrayBlockingQueue<>(handoffCapacity);
    this.lastId = clock.millis() * 1000;
    this.lastResetMillis = clock.millis() - RESET_EVERY_MILLIS;
    this.lastLogMillis = clock.millis() - LOG_EVERY_MILLIS;
  }

  StreamHub(InstantSource clock) {
    this(clock, DEFAULT_RECENT, DEFAULT_CLIENT_QUEUE, DEFAULT_HANDOFF);
  }

  /** Drains the hand-off queue every {@link #DRAIN_MILLIS} ms on {@code httpLoop} from now on. */
  void start(ScheduledExecutorService httpLoop) {
    httpLoop.scheduleWithFixedDelay(
        this::drainLogged, DRAIN_MILLIS, DRAIN_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void sampleStored(String hostId, StoredSample sample) {
    handOver(new StreamEvents.SampleStored(hostId, sample, clock.instant()));
  }

  @Override
  public void stateChanged(HostView host) {
    handOver(new StreamEvents.StateChanged(host));
  }

  /** An alert of {@code hostId} changed state; called on the alert thread, never blocks. */
  void alertChanged(String hostId, io.vigia.proto.ApiStreamAlert alert) {
    handOver(new StreamEvents.AlertChanged(hostId, alert));
  }

  private void handOver(StreamEvents.Change change) {
    if (!handoff.offer(change)) {
      droppedQueueFull.increment();
    }
  }

  private void drainLogged() {
    try {
      drain();
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: the stream would stop for good.
      log.error("The live stream could not pass on the collector's changes", e);
    }
  }

  /**
   * Numbers what the links handed over, keeps it, and passes it to the clients; then, if changes
   * were dropped since the last reset, sends a reset. Runs on the HTTP side.
   */
  synchronized void drain() {
    handoff.drainTo(batch, handoffCapacity);
    for (StreamEvents.Change change : batch) {
      publish(change);
    }
    batch.clear();
    long dropped = droppedQueueFull.sum();
    if (dropped == dropsAnnounced) {
      return;
    }
    long now = clock.millis();
    if (now - lastResetMillis >= RESET_EVERY_MILLIS) {
      publish(
          new StreamEvents.Reset(
              (dropped - dropsAnnounced)
                  + " events were dropped (the collector's HTTP side fell behind its agents);"
                  + " reload the hosts and follow on"));
      dropsAnnounced = dropped;
      lastResetMillis = now;
    }
    if (now - lastLogMillis >= LOG_EVERY_MILLIS) {
      log.warn(
          "The live stream dropped {} events ({} since start): its HTTP side falls behind the"
              + " agents; its clients were told to reload",
          dropped - dropsLogged,
          dropped);
      dropsLogged = dropped;
      lastLogMillis = now;
    }
  }

  private void publish(StreamEvents.Change source) {
    Event event = new Event(++lastId, source);
    recent.addLast(event);
    if (recent.size() > recentCapacity) {
      recent.removeFirst();
    }
    if (clients.isEmpty()) {
      return;
    }
    List<StreamClient> slow = null;
    for (StreamClient client : clients) {
      if (!client.offer(event.text())) {
        slow = slow == null ? new ArrayList<>() : slow;
        slow.add(client);
      }
    }
    if (slow != null) {
      for (StreamClient client : slow) {
        clients.remove(client);
        closedTooSlow.increment();
        log.warn(
            "Closing the live stream to {}: more than {} events behind",
            client.channel().remoteAddress(),
            clientQueue);
        client.channel().close();
      }
    }
  }

  /**
   * Starts sending events to {@code channel} (whose response headers are written): first those
   * after {@code lastEventId} still held, or a "reset" event if some are no longer held; nothing
   * for a client that saw none ({@code lastEventId} absent, -1).
   */
  synchronized StreamClient subscribe(Channel channel, long lastEventId) {
    StreamClient client = new StreamClient(channel, clientQueue);
    if (lastEventId >= 0 && lastEventId != lastId) {
      Event oldest = recent.peekFirst();
      boolean held =
          lastEventId < lastId
              && oldest != null
              && oldest.id <= lastEventId + 1
              && lastId - lastEventId <= clientQueue;
      if (held) {
        for (Event event : recent) {
          if (event.id > lastEventId) {
            client.offer(event.text());
          }
        }
      } else {
        client.offer(
            StreamEvents.render(
                new StreamEvents.Reset(
                        "events after "
                            + lastEventId
                            + " are no longer held; reload the hosts and follow on")
                    .event()
                    .setId(lastId)));
      }
    }
    clients.add(client);
    channel.closeFuture().addListener(closed -> unsubscribe(client));
    return client;
  }

  private synchronized void unsubscribe(StreamClient client) {
    clients.remove(client);
  }

  /** The figures of {@code GET /api/v1/stream/status} and {@code /metrics}. */
  synchronized StreamStatus status() {
    return new StreamStatus(
        clients.size(),
        handoff.size(),
        handoffCapacity,
        lastId,
        Map.of("queue_full", droppedQueueFull.sum()),
        Map.of("too_slow", closedTooSlow.sum()));
  }
}
