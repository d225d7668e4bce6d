package io.vigia.collector.ingest;

import static io.vigia.collector.ingest.SessionHandlerTest.hello;
import static io.vigia.collector.ingest.SessionHandlerTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.codec.FrameCodec;
import io.vigia.codec.Frames;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The agent-link pipeline (framing, guard, session, reject-on-error) driven by random sequences of
 * frames, some of them mutated on the wire: nothing escapes the pipeline, every Error names a
 * protocol reason and is the last thing written before the link closes, and the registry only ever
 * holds increasing sequences of valid samples.
 */
class SessionPropertyTest {

  private static final String TOKEN = "t0ken";

  private static EmbeddedChannel link(HostRegistry registry) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ChannelPipeline p = ch.pipeline();
    IngestChannelInitializer.installCodec(p, 64 * 1024);
    FrameCodec.installLiveness(p, Duration.ofSeconds(30), Duration.ofSeconds(10));
    p.addLast(
        "guard",
        new LinkGuard(new LinkGuards(TOKEN, 10, 10, 1, 20), new LinkCounts(10, 10), () -> 0L));
    p.addLast("session", new SessionHandler(registry, Duration.ofSeconds(10)));
    p.addLast("rejectOnError", RejectOnErrorHandler.INSTANCE);
    p.fireChannelActive();
    return ch;
  }

  @Property(tries = 400)
  void randomFrameSequencesNeverEscapeAndEndWithAProtocolError(
      @ForAll("frames") List<Frame> frames,
      @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 100_000) Integer> flips)
      throws InvalidProtocolBufferException {
    HostRegistry registry = new HostRegistry(100, InstantSource.fixed(Instant.EPOCH));
    EmbeddedChannel ch = link(registry);
    byte[] wire = wire(frames);
    for (int flip : flips) {
      if (wire.length > 0) {
        wire[flip % wire.length] ^= (byte) (1 + flip % 255);
      }
    }
    try {
      // Several segments, as TCP might deliver them.
      for (int at = 0; at < wire.length && ch.isOpen(); at += 97) {
        ch.writeInbound(Unpooled.wrappedBuffer(wire, at, Math.min(97, wire.length - at)));
        ch.checkException();
      }
      ch.runPendingTasks();
      ch.checkException();

      List<Frame> written = WireFrames.written(ch);
      for (int i = 0; i < written.size(); i++) {
        Frame out = written.get(i);
        if (out.hasError()) {
          assertThat(out.getError().getCode())
              .isNotIn(ErrorCode.ERROR_CODE_UNSPECIFIED, ErrorCode.UNRECOGNIZED);
          assertThat(i).as("nothing after the Error").isEqualTo(written.size() - 1);
          assertThat(ch.isOpen()).isFalse();
        }
      }
      for (var host : registry.hosts()) {
        List<StoredSample> history = registry.history(host.id(), 1000).orElseThrow();
        assertThat(history).extracting(StoredSample::seq).isSorted().doesNotHaveDuplicates();
        assertThat(history).allSatisfy(sample -> assertThat(sample.seq()).isPositive());
      }
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Provide
  Arbitrary<List<Frame>> frames() {
    Arbitrary<Frame> hello =
        Arbitraries.of("a", "b", "", "x".repeat(200))
            .flatMap(
                id ->
                    Arbitraries.integers()
                        .between(0, 5)
                        .flatMap(
                            cores ->
                                Arbitraries.of(TOKEN, "", "wrong")
                                    .map(token -> helloWith(id, cores, token))));
    Arbitrary<Frame> snapshots =
        Arbitraries.longs()
            .between(0, 30)
            .flatMap(
                seq ->
                    Arbitraries.integers()
                        .between(-1, 1200)
                        .array(int[].class)
                        .ofMaxSize(5)
                        .map(cores -> snapshot(seq, cores)));
    Arbitrary<Frame> others =
        Arbitraries.of(
            Frames.heartbeat(1),
            Frames.ack(3),
            Frames.goodbye("bye"),
            Frames.error(ErrorCode.REPLACED, "x"),
            Frame.getDefaultInstance());
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(2, hello),
            net.jqwik.api.Tuple.of(8, snapshots),
            net.jqwik.api.Tuple.of(1, others))
        .list()
        .ofMaxSize(60);
  }

  private static Frame helloWith(String id, int cores, String token) {
    Frame hello = hello(id, Math.max(cores, 0));
    return hello.toBuilder()
        .setHello(Hello.newBuilder(hello.getHello()).setToken(token).setCores(cores).build())
        .build();
  }

  private static byte[] wire(List<Frame> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame frame : frames) {
      byte[] body = frame.toByteArray();
      out.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
      out.writeBytes(body);
    }
    return out.toByteArray();
  }
}
