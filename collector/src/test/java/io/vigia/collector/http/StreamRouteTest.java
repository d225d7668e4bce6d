package io.vigia.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamRouteTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final long EPOCH = 1_740_823_200_000L;
  private static final Pattern EVENT =
      Pattern.compile("id: (\\d+)\nevent: (\\w+)\ndata: (\\{.*})\n\n");

  private final HostRegistry registry = new HostRegistry(100, InstantSource.fixed(T0));
  private final List<EmbeddedChannel> channels = new ArrayList<>();
  private final List<StreamHub> hubs = new ArrayList<>();

  @AfterEach
  void close() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  private record Event(long id, String type, JsonObject json) {}

  private StreamHub hub(int recent, int queue) {
    StreamHub hub = new StreamHub(InstantSource.fixed(T0.plusMillis(7)), recent, queue, 100);
    registry.addListener(hub);
    hubs.add(hub);
    return hub;
  }

  private EmbeddedChannel subscribe(StreamHub hub, String lastEventId) {
    hubs.forEach(StreamHub::drain);
    EmbeddedChannel ch = new EmbeddedChannel(new StreamRoute(hub));
    channels.add(ch);
    var request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/stream");
    if (lastEventId != null) {
      request.headers().set("Last-Event-ID", lastEventId);
    }
    ch.writeInbound(request);
    HttpResponse response = ch.readOutbound();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE))
        .startsWith("text/event-stream");
    assertThat(HttpUtil.isTransferEncodingChunked(response)).isTrue();
    return ch;
  }

  /**
   * Everything written to {@code ch} since the last call, after the hubs took what the registry
   * handed over (as the HTTP loop does every few ms) and the channel ran its queued drains.
   */
  private String text(EmbeddedChannel ch) {
    hubs.forEach(StreamHub::drain);
    return written(ch);
  }

  /** Everything {@code ch} wrote since the last call, after running its queued drains. */
  static String written(EmbeddedChannel ch) {
    ch.runPendingTasks();
    StringBuilder out = new StringBuilder();
    Object msg;
    while ((msg = ch.readOutbound()) != null) {
      out.append(((HttpContent) msg).content().toString(StandardCharsets.UTF_8));
      ReferenceCountUtil.release(msg);
    }
    return out.toString();
  }

  private List<Event> events(EmbeddedChannel ch) {
    List<Event> events = new ArrayList<>();
    Matcher m = EVENT.matcher(text(ch));
    while (m.find()) {
      events.add(
          new Event(
              Long.parseLong(m.group(1)),
              m.group(2),
              JsonParser.parseString(m.group(3)).getAsJsonObject()));
    }
    return events;
  }

  private void connect(long link, String id) {
    registry.connect(
        link, new HostIdentity(id, id + ".example.org", "Debian", 2, "0.1.0", EPOCH, 5000), "a:1");
  }

  private boolean append(long link, String id, long seq, int busy) {
    return registry.append(
        link,
        id,
        new StoredSample(
            EPOCH,
            seq,
            T0.plusSeconds(seq),
            5000,
            new CpuFigures(
                busy, new int[] {busy - 100, busy + 100}, 300, 0, 117, 0, 0, 0, 0, 583)));
  }

  @Test
  void aStoredSampleAndAStateChangeBecomeEventsWithIncreasingIds() {
    StreamHub hub = hub(100, 100);
    EmbeddedChannel ch = subscribe(hub, null);
    assertThat(text(ch)).isEqualTo("retry: 1000\n\n");

    connect(1, "web-1");
    append(1, "web-1", 1, 250);
    registry.disconnect(1, "web-1", true);

    List<Event> events = events(ch);
    assertThat(events).extracting(Event::type).containsExactly("state", "sample", "state");
    assertThat(events.get(1).id()).isGreaterThan(events.get(0).id());
    assertThat(events.get(2).id()).isGreaterThan(events.get(1).id());
    assertThat(events.get(0).json().getAsJsonObject("agent").get("state").getAsString())
        .isEqualTo("CONNECTED");
    JsonObject sample = events.get(1).json().getAsJsonObject("sample");
    assertThat(events.get(1).json().get("host").getAsString()).isEqualTo("web-1");
    assertThat(sample.get("seq").getAsString()).isEqualTo("1");
    assertThat(sample.get("cpuPercent").getAsDouble()).isEqualTo(25.0);
    assertThat(sample.getAsJsonArray("corePercent").toString()).isEqualTo("[15.0,35.0]");
    assertThat(sample.get("stored").getAsString()).isEqualTo("2025-03-01T10:00:00.007Z");
    assertThat(events.get(2).json().getAsJsonObject("agent").get("state").getAsString())
        .isEqualTo("LEFT");
  }

  @Test
  void anAlertThatChangesStateIsAnEventAlert() {
    StreamHub hub = hub(100, 100);
    EmbeddedChannel ch = subscribe(hub, null);
    text(ch);
    hub.alertChanged(
        "web-1",
        io.vigia.proto.ApiStreamAlert.newBuilder()
            .setName("HostCpuSaturated")
            .setState("FIRING")
            .setSeverity("warning")
            .setSummary("web-1: CPU 97% busy")
            .build());

    List<Event> events = events(ch);
    assertThat(events).extracting(Event::type).containsExactly("alert");
    assertThat(events.get(0).json().get("host").getAsString()).isEqualTo("web-1");
    JsonObject alert = events.get(0).json().getAsJsonObject("alert");
    assertThat(alert.get("state").getAsString()).isEqualTo("FIRING");
    assertThat(alert.get("summary").getAsString()).isEqualTo("web-1: CPU 97% busy");
  }

  @Test
  void aReplayedSampleIsNotSentAgain() {
    StreamHub hub = hub(100, 100);
    EmbeddedChannel ch = subscribe(hub, null);
    connect(1, "web-1");
    append(1, "web-1", 1, 250);
    assertThat(append(1, "web-1", 1, 250)).isFalse();

    assertThat(events(ch)).extracting(Event::type).containsExactly("state", "sample");
  }

  @Test
  void aClientThatReconnectsWithLastEventIdGetsWhatItMissed() {
    StreamHub hub = hub(100, 100);
    EmbeddedChannel first = subscribe(hub, null);
    connect(1, "web-1");
    append(1, "web-1", 1, 250);
    long seen = events(first).get(1).id();
    first.close();
    append(1, "web-1", 2, 300);
    append(1, "web-1", 3, 350);

    List<Event> replayed = events(subscribe(hub, Long.toString(seen)));

    assertThat(replayed)
        .extracting(e -> e.json().getAsJsonObject("sample").get("seq").getAsString())
        .containsExactly("2", "3");
    assertThat(replayed.get(0).id()).isEqualTo(seen + 1);
  }

  @Test
  void aClientWhoseEventsAreNoLongerHeldIsToldToReload() {
    StreamHub hub = hub(2, 100);
    EmbeddedChannel first = subscribe(hub, null);
    connect(1, "web-1");
    long seen = events(first).get(0).id();
    for (int seq = 1; seq <= 3; seq++) {
      append(1, "web-1", seq, 250);
    }

    List<Event> events = events(subscribe(hub, Long.toString(seen)));

    assertThat(events).extracting(Event::type).containsExactly("reset");
    assertThat(events.get(0).id()).isEqualTo(hub.status().lastId());
  }

  @Test
  void aClientThatFallsBehindIsClosedAndOthersGoOn() {
    StreamHub hub = hub(100, 3);
    EmbeddedChannel slow = subscribe(hub, null);
    EmbeddedChannel fast = subscribe(hub, null);
    connect(1, "web-1");
    assertThat(events(fast)).extracting(Event::type).containsExactly("state");
    for (int seq = 1; seq <= 5; seq++) {
      append(1, "web-1", seq, 250);
      // Only the fast client's loop runs: it drains its queue; the slow one's never does.
      assertThat(events(fast)).hasSize(1);
    }

    assertThat(slow.isOpen()).isFalse();
    assertThat(hub.status().clientsClosed()).containsEntry("too_slow", 1L);
    assertThat(hub.status().clients()).isEqualTo(1);
    assertThat(fast.isOpen()).isTrue();
  }

  @Test
  void aBadLastEventIdIsRefused() {
    EmbeddedChannel ch = new EmbeddedChannel(new StreamRoute(hub(10, 10)));
    channels.add(ch);
    var request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/stream");
    request.headers().set("Last-Event-ID", "yesterday");
    ch.writeInbound(request);
    HttpResponse response = ch.readOutbound();
    assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
    ReferenceCountUtil.release(response);
  }

  @Test
  void otherPathsGoOn() {
    EmbeddedChannel ch = new EmbeddedChannel(new StreamRoute(hub(10, 10)));
    channels.add(ch);
    ch.writeInbound(
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/api/v1/agents"));
    Object passed = ch.readInbound();
    assertThat(passed).isInstanceOf(DefaultFullHttpRequest.class);
    ReferenceCountUtil.release(passed);
  }
}
