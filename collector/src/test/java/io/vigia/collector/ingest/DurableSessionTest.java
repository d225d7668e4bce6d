package io.vigia.collector.ingest;

import static io.vigia.collector.ingest.SessionHandlerTest.hello;
import static io.vigia.collector.ingest.SessionHandlerTest.helloBody;
import static io.vigia.collector.ingest.SessionHandlerTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.codec.Frames;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.store.Store;
import io.vigia.collector.store.StoreStatus;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A session in front of a store that makes records durable only when the test says so. */
class DurableSessionTest {

  private final HostRegistry registry =
      new HostRegistry(100, InstantSource.fixed(Instant.parse("2025-03-01T10:00:00Z")));
  private final HeldStore store = new HeldStore();

  private EmbeddedChannel link() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline()
        .addLast(
            new SessionHandler(registry, Duration.ofSeconds(10), Duration.ZERO, null, store),
            RejectOnErrorHandler.INSTANCE);
    ch.pipeline().fireChannelActive();
    return ch;
  }

  @Test
  void theWelcomeWaitsUntilTheHelloIsDurableAndTheLogNeverHoldsTheToken() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(
          Frame.newBuilder().setHello(helloBody("web-1", 2).setToken("s3cret")).build());

      assertThat((Object) ch.readOutbound()).as("no Welcome before the Hello is durable").isNull();
      assertThat(store.records).containsExactly("hello web-1");
      assertThat(Hello.parseFrom(store.lastHello).getToken()).isEmpty();
      assertThat(Hello.parseFrom(store.lastHello).getAgentId()).isEqualTo("web-1");

      store.release();
      ch.runPendingTasks();

      assertThat(((Frame) ch.readOutbound()).hasWelcome()).isTrue();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void anAckCoversOnlyWhatTheStoreMadeDurable() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 2));
      store.release();
      ch.runPendingTasks();
      ch.readOutbound(); // Welcome

      ch.writeInbound(snapshot(1, 10, 20), snapshot(2, 10, 20));
      assertThat((Object) ch.readOutbound()).as("no ack before the samples are durable").isNull();
      assertThat(store.records).containsExactly("hello web-1", "sample web-1 1", "sample web-1 2");

      ch.writeInbound(snapshot(3, 10, 20));
      store.release(1); // only the first batch's action: samples 1 and 2
      ch.runPendingTasks();
      assertThat(((Frame) ch.readOutbound()).getAck().getSeq()).isEqualTo(2);
      assertThat((Object) ch.readOutbound()).isNull();

      store.release();
      ch.runPendingTasks();
      assertThat(((Frame) ch.readOutbound()).getAck().getSeq()).isEqualTo(3);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aReplayOfAStoredSampleIsNotLoggedAgain() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 2));
      ch.writeInbound(snapshot(1, 10, 20), snapshot(1, 10, 20));

      assertThat(store.records).containsExactly("hello web-1", "sample web-1 1");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aStoreThatCannotWriteRefusesTheLinkSoTheAgentKeepsItsSamples() {
    store.accepting = false;
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 2));

      Frame error = ch.readOutbound();
      assertThat(error.getError().getCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
      assertThat(error.getError().getMessage()).contains("keep them and retry");
      assertThat(ch.isOpen()).isFalse();
      assertThat(store.records).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aStoreThatStopsWritingMidLinkClosesItWithoutAcking() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 2));
      store.release();
      ch.runPendingTasks();
      ch.readOutbound(); // Welcome
      store.accepting = false;

      ch.writeInbound(snapshot(1, 10, 20));

      Frame error = ch.readOutbound();
      assertThat(error.getError().getCode()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
      assertThat(ch.isOpen()).isFalse();
      assertThat(registry.host("web-1").orElseThrow().lastSeq()).isZero();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aClosingLinkIsLoggedWithHowItClosed() {
    EmbeddedChannel ch = link();
    ch.writeInbound(hello("web-1", 2));
    ch.writeInbound(Frames.goodbye("stopping"));
    ch.finishAndReleaseAll();

    assertThat(store.records).containsExactly("hello web-1", "link web-1 left");
  }

  /** Records what is appended; runs the durability actions only when released. */
  private static final class HeldStore implements Store {
    final List<String> records = new ArrayList<>();
    final List<Runnable> held = new ArrayList<>();
    byte[] lastHello;
    boolean accepting = true;

    void release() {
      release(held.size());
    }

    void release(int count) {
      List<Runnable> now = new ArrayList<>(held.subList(0, count));
      held.subList(0, count).clear();
      now.forEach(Runnable::run);
    }

    @Override
    public boolean accepting() {
      return accepting;
    }

    @Override
    public void hello(String hostId, long timeMillis, String address, ByteBuffer hello) {
      records.add("hello " + hostId);
      lastHello = new byte[hello.remaining()];
      hello.duplicate().get(lastHello);
    }

    @Override
    public void sample(byte[] hostIdUtf8, long epoch, long timeMillis, ByteBuffer snapshot) {
      try {
        long seq = Snapshot.parseFrom(snapshot.duplicate()).getSeq();
        records.add("sample " + new String(hostIdUtf8, StandardCharsets.UTF_8) + " " + seq);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void link(String hostId, boolean left, long timeMillis) {
      records.add("link " + hostId + (left ? " left" : " lost"));
    }

    @Override
    public void whenDurable(java.util.concurrent.Executor executor, Runnable action) {
      held.add(action);
    }

    @Override
    public StoreStatus status() {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {}
  }
}
