package io.vigia.collector.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.vigia.codec.Protocol;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.RegistryListener;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.ApiStreamEvent;
import io.vigia.proto.ApiStreamSample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Turns the registry's changes into server-sent events and fans them out to the clients of {@code
 * GET /api/v1/stream}.
 *
 * <p>Each event gets the next id (monotonic, and larger than any id of an earlier collector run on
 * this machine's clock, since ids start at the start time in microseconds), is kept in a bounded
 * buffer of recent events for clients that reconnect with {@code Last-Event-ID}, and is put on each
 * client's own bounded queue. A client's channel event loop drains its queue whenever the socket
 * can take more; a client whose queue is full (it reads slower than events come) is closed, never
 * buffered without bound.
 *
 * <p>Thread-safety: events are published from agent links' event loops under this hub's lock, held
 * only to number the event, keep it, and (when clients are subscribed) render it once and enqueue
 * it; clients are drained on their own loops.
 */
final class StreamHub implements RegistryListener {

  static final int DEFAULT_RECENT = 4096;
  static final int DEFAULT_CLIENT_QUEUE = 1024;

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  /**
   * One event: its id, and its SSE text (blank line included) rendered on first use. Most events
   * are never read by anyone (no dashboard open, nobody reconnecting), and rendering one to JSON
   * costs several times what storing the sample did, so it waits until a client needs it.
   *
   * <p>Used only under the hub's lock.
   */
  private static final class Event {
    final long id;
    private Supplier<ApiStreamEvent.Builder> source;
    private String text;

    Event(long id, Supplier<ApiStreamEvent.Builder> source) {
      this.id = id;
      this.source = source;
    }

    String text() {
      if (text == null) {
        text = render(source.get().setId(id));
        source = null;
      }
      return text;
    }
  }

  private final InstantSource clock;
  private final int recentCapacity;
  private final int clientQueue;
  private final ArrayDeque<Event> recent = new ArrayDeque<>();
  private final Set<Client> clients = new HashSet<>();
  private final LongAdder droppedClients = new LongAdder();
  private long lastId;

  StreamHub(InstantSource clock, int recentCapacity, int clientQueue) {
    if (recentCapacity < 1 || clientQueue < 1) {
      throw new IllegalArgumentException(
          "buffers must be positive: " + recentCapacity + ", " + clientQueue);
    }
    this.clock = clock;
    this.recentCapacity = recentCapacity;
    this.clientQueue = clientQueue;
    this.lastId = clock.millis() * 1000;
  }

  StreamHub(InstantSource clock) {
    this(clock, DEFAULT_RECENT, DEFAULT_CLIENT_QUEUE);
  }

  @Override
  public void sampleStored(String hostId, StoredSample sample) {
    Instant stored = clock.instant();
    publish(
        () ->
            ApiStreamEvent.newBuilder()
                .setType("sample")
                .setHost(hostId)
                .setSample(summary(sample, stored)));
  }

  @Override
  public void stateChanged(HostView host) {
    // Rendered now: a state change is rare, and the view is of this moment.
    ApiStreamEvent.Builder event =
        ApiStreamEvent.newBuilder()
            .setType("state")
            .setHost(host.id())
            .setAgent(ApiJson.agent(host));
    publish(() -> event);
  }

  /** An alert of {@code hostId} changed state; called on the alert thread. */
  void alertChanged(String hostId, io.vigia.proto.ApiStreamAlert alert) {
    ApiStreamEvent.Builder event =
        ApiStreamEvent.newBuilder().setType("alert").setHost(hostId).setAlert(alert);
    publish(() -> event);
  }

  private synchronized void publish(Supplier<ApiStreamEvent.Builder> source) {
    Event event = new Event(++lastId, source);
    recent.addLast(event);
    if (recent.size() > recentCapacity) {
      recent.removeFirst();
    }
    if (clients.isEmpty()) {
      return;
    }
    List<Client> slow = null;
    for (Client client : clients) {
      if (!client.offer(event.text())) {
        slow = slow == null ? new ArrayList<>() : slow;
        slow.add(client);
      }
    }
    if (slow != null) {
      for (Client client : slow) {
        clients.remove(client);
        droppedClients.increment();
        client.channel.close();
      }
    }
  }

  /**
   * Starts sending events to {@code channel} (whose response headers are written): first those
   * after {@code lastEventId} still held, or a "reset" event if some are no longer held; nothing
   * for a client that saw none ({@code lastEventId} absent, -1).
   */
  synchronized Client subscribe(Channel channel, long lastEventId) {
    Client client = new Client(channel, clientQueue);
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
            render(
                ApiStreamEvent.newBuilder()
                    .setId(lastId)
                    .setType("reset")
                    .setMessage(
                        "events after "
                            + lastEventId
                            + " are no longer held; reload the hosts and follow on")));
      }
    }
    clients.add(client);
    channel.closeFuture().addListener(closed -> unsubscribe(client));
    return client;
  }

  private synchronized void unsubscribe(Client client) {
    clients.remove(client);
  }

  synchronized int clients() {
    return clients.size();
  }

  /** Clients closed because they read slower than events came. */
  long droppedClients() {
    return droppedClients.sum();
  }

  synchronized long lastId() {
    return lastId;
  }

  static String render(ApiStreamEvent.Builder event) {
    String json;
    try {
      json = PRINTER.print(event);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot render a stream event", e);
    }
    return "id: " + event.getId() + "\nevent: " + event.getType() + "\ndata: " + json + "\n\n";
  }

  static ApiStreamSample summary(StoredSample sample, Instant stored) {
    ApiStreamSample.Builder out =
        ApiStreamSample.newBuilder()
            .setSeq(sample.seq())
            .setEpoch(sample.epoch())
            .setTime(timestamp(sample.time()))
            .setIntervalMs(sample.intervalMillis())
            .setStored(timestamp(stored));
    CpuFigures cpu = sample.cpu();
    if (cpu != null) {
      out.setHasCpu(true).setCpuPercent(Protocol.perMilleToPercent(cpu.busy()));
      for (int core = 0; core < cpu.cores(); core++) {
        out.addCorePercent(Protocol.perMilleToPercent(cpu.coreBusy(core)));
      }
    }
    Families families = sample.families();
    if (families.memory() != null) {
      var memory = ApiJson.memory(families.memory());
      out.setMemoryUsedPercent(memory.getUsedPercent())
          .setMemoryUsedBytes(memory.getUsedBytes())
          .setMemoryTotalBytes(memory.getTotalBytes());
    }
    if (families.system() != null && families.system().load1X100() >= 0) {
      out.setLoad1(families.system().load1X100() / 100.0);
    }
    double rx = 0;
    double tx = 0;
    boolean net = false;
    for (InterfaceFigures nic : families.interfaces()) {
      if (nic.rxBytesPerSec() >= 0 && nic.txBytesPerSec() >= 0) {
        rx += nic.rxBytesPerSec();
        tx += nic.txBytesPerSec();
        net = true;
      }
    }
    if (net) {
      out.setNetRxBytesPerS(rx).setNetTxBytesPerS(tx);
    }
    double read = 0;
    double write = 0;
    boolean disk = false;
    for (DiskFigures d : families.disks()) {
      if (d.readBytesPerSec() >= 0 && d.writeBytesPerSec() >= 0) {
        read += d.readBytesPerSec();
        write += d.writeBytesPerSec();
        disk = true;
      }
    }
    if (disk) {
      out.setDiskReadBytesPerS(read).setDiskWriteBytesPerS(write);
    }
    return out.build();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /** One subscribed client: its bounded queue, drained on its channel's event loop. */
  static final class Client {
    /** Writes are batched into chunks up to this size, so one flush carries many events. */
    private static final int BATCH_CHARS = 32 * 1024;

    private final Channel channel;
    private final BlockingQueue<String> queue;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();

    Client(Channel channel, int capacity) {
      this.channel = channel;
      this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** False if the queue is full: the client is too slow. */
    boolean offer(String text) {
      if (!queue.offer(text)) {
        return false;
      }
      if (drainScheduled.compareAndSet(false, true)) {
        channel.eventLoop().execute(this::drain);
      }
      return true;
    }

    /** Writes what is queued while the socket takes it; runs on the channel's event loop. */
    void drain() {
      drainScheduled.set(false);
      if (!channel.isActive()) {
        queue.clear();
        return;
      }
      boolean wrote = false;
      StringBuilder batch = new StringBuilder();
      String next;
      while (channel.isWritable() && (next = queue.poll()) != null) {
        batch.append(next);
        if (batch.length() >= BATCH_CHARS) {
          write(batch);
          wrote = true;
        }
      }
      if (batch.length() > 0) {
        write(batch);
        wrote = true;
      }
      if (wrote) {
        channel.flush();
      }
    }

    private void write(StringBuilder batch) {
      channel.write(new DefaultHttpContent(Unpooled.copiedBuffer(batch, StandardCharsets.UTF_8)));
      batch.setLength(0);
    }

    int queued() {
      return queue.size();
    }
  }
}
