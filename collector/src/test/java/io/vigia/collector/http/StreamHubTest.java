package io.vigia.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hand-off between the agents' links and the HTTP side; {@link StreamRouteTest} the rest. */
class StreamHubTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final long EPOCH = 1_740_823_200_000L;
  private static final Pattern EVENT = Pattern.compile("event: (\\w+)\ndata: (\\{.*})\n\n");

  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final InstantSource clock = () -> now.get();
  private final HostRegistry registry = new HostRegistry(100, clock);
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void close() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  private StreamHub hub(int handoff) {
    StreamHub hub = new StreamHub(clock, 100, 100, handoff);
    registry.addListener(hub);
    return hub;
  }

  private EmbeddedChannel subscribe(StreamHub hub) {
    EmbeddedChannel ch = new EmbeddedChannel(new StreamRoute(hub));
    channels.add(ch);
    ch.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/stream"));
    ReferenceCountUtil.release(ch.readOutbound()); // the response's headers
    assertThat(types(ch)).isEmpty(); // "retry: 1000"
    return ch;
  }

  /** The types of the events written to {@code ch} since the last call, then their data. */
  private static List<String> types(EmbeddedChannel ch) {
    List<String> types = new ArrayList<>();
    for (String[] event : events(ch)) {
      types.add(event[0]);
    }
    return types;
  }

  private static List<String[]> events(EmbeddedChannel ch) {
    List<String[]> events = new ArrayList<>();
    Matcher m = EVENT.matcher(StreamRouteTest.written(ch));
    while (m.find()) {
      events.add(new String[] {m.group(1), m.group(2)});
    }
    return events;
  }

  private void connect() {
    registry.connect(
        1,
        new HostIdentity("web-1", "web-1.example.org", "Debian", 2, "0.1.0", EPOCH, 5000),
        "a:1");
  }

  private void append(long seq) {
    assertThat(
            registry.append(
                1,
                "web-1",
                new StoredSample(
                    EPOCH,
                    seq,
                    T0.plusSeconds(seq),
                    5000,
                    new CpuFigures(250, new int[] {150, 350}, 300, 0, 117, 0, 0, 0, 0, 583))))
        .isTrue();
  }

  @Test
  void aStoredSampleIsOnlyHandedOverUntilTheHttpSideDrains() {
    StreamHub hub = hub(100);
    EmbeddedChannel client = subscribe(hub);
    long lastId = hub.status().lastId();
    connect();
    append(1);

    // The link's thread returned without numbering or rendering anything.
    assertThat(types(client)).isEmpty();
    assertThat(hub.status().queued()).isEqualTo(2);
    assertThat(hub.status().lastId()).isEqualTo(lastId);

    hub.drain();

    assertThat(types(client)).containsExactly("state", "sample");
    assertThat(hub.status().queued()).isZero();
    assertThat(hub.status().lastId()).isEqualTo(lastId + 2);
  }

  @Test
  void theHttpLoopDrainsEveryFewMilliseconds() {
    StreamHub hub = hub(100);
    EmbeddedChannel httpLoop = new EmbeddedChannel();
    channels.add(httpLoop);
    httpLoop.freezeTime();
    hub.start(httpLoop.eventLoop());
    EmbeddedChannel client = subscribe(hub);
    connect();

    httpLoop.advanceTimeBy(StreamHub.DRAIN_MILLIS - 1, TimeUnit.MILLISECONDS);
    httpLoop.runScheduledPendingTasks();
    assertThat(types(client)).isEmpty();

    httpLoop.advanceTimeBy(1, TimeUnit.MILLISECONDS);
    httpLoop.runScheduledPendingTasks();
    assertThat(types(client)).containsExactly("state");

    append(1);
    httpLoop.advanceTimeBy(StreamHub.DRAIN_MILLIS, TimeUnit.MILLISECONDS);
    httpLoop.runScheduledPendingTasks();
    assertThat(types(client)).containsExactly("sample");
  }

  @Test
  void whenTheHandOffIsFullTheNewestAreDroppedCountedAndClientsToldToReload() {
    StreamHub hub = hub(2);
    EmbeddedChannel client = subscribe(hub);
    connect();
    for (long seq = 1; seq <= 4; seq++) {
      append(seq); // the link goes on: storing never waits for the stream
    }
    assertThat(hub.status().dropped()).containsEntry("queue_full", 3L);

    hub.drain();

    List<String[]> events = events(client);
    assertThat(events).extracting(e -> e[0]).containsExactly("state", "sample", "reset");
    assertThat(events.get(2)[1]).contains("3 events were dropped").contains("reload the hosts");
    append(5);
    hub.drain();
    assertThat(types(client)).containsExactly("sample");
  }

  @Test
  void aResetForDropsIsSentAtMostOnceASecond() {
    StreamHub hub = hub(1);
    EmbeddedChannel client = subscribe(hub);
    connect();
    append(1); // dropped
    hub.drain();
    assertThat(types(client)).containsExactly("state", "reset");

    append(2);
    append(3); // dropped
    now.set(T0.plusMillis(999));
    hub.drain();
    assertThat(types(client)).containsExactly("sample");

    now.set(T0.plusMillis(1000));
    hub.drain();
    List<String[]> events = events(client);
    assertThat(events).extracting(e -> e[0]).containsExactly("reset");
    assertThat(events.get(0)[1]).contains("1 events were dropped");
  }

  @Test
  void theStatusTellsClientsQueuedAndDropsByReasonInTheApiAndMetrics() {
    StreamHub hub = hub(1);
    subscribe(hub);
    connect();
    append(1); // dropped

    assertThat(hub.status().json())
        .isEqualTo(
            "{\"clients\":1,\"queued\":1,\"queueCapacity\":1,\"lastId\":\""
                + T0.toEpochMilli() * 1000
                + "\",\"dropped\":{\"queue_full\":\"1\"},\"clientsClosed\":{\"too_slow\":\"0\"}}");
    PrometheusRegistry prometheus = new PrometheusRegistry();
    prometheus.register(StreamStatus.metrics(hub::status));
    String scrape = PrometheusTextFormatWriter.create().toDebugString(prometheus.scrape());
    assertThat(scrape)
        .contains("vigia_stream_dropped_events_total{reason=\"queue_full\"} 1.0")
        .contains("vigia_stream_clients_closed_total{reason=\"too_slow\"} 0.0")
        .contains("vigia_stream_clients 1.0")
        .contains("vigia_stream_queued_events 1.0");
  }
}
