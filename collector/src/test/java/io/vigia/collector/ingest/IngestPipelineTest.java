package io.vigia.collector.ingest;

import static io.vigia.collector.ingest.SessionHandlerTest.hello;
import static io.vigia.collector.ingest.SessionHandlerTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.codec.FrameCodec;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.LinkState;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent-link pipeline as {@link IngestChannelInitializer} builds it, fed raw bytes. The
 * initializer itself takes a {@code SocketChannel}, which {@code EmbeddedChannel} is not, so the
 * same handlers are installed here in the same order.
 */
class IngestPipelineTest {

  private static final int MAX_FRAME_BYTES = 1 << 20;
  private static final IngestChannelInitializer.Limits LIMITS =
      new IngestChannelInitializer.Limits(
          MAX_FRAME_BYTES, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10));

  private final HostRegistry registry =
      new HostRegistry(100, InstantSource.fixed(Instant.parse("2025-03-01T10:00:00Z")));

  private EmbeddedChannel link() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ChannelPipeline p = ch.pipeline();
    IngestChannelInitializer.installCodec(p, LIMITS.maxFrameBytes());
    FrameCodec.installLiveness(p, LIMITS.silentAfter(), LIMITS.heartbeatEvery());
    p.addLast("session", new SessionHandler(registry, LIMITS.helloTimeout()));
    p.addLast("rejectOnError", RejectOnErrorHandler.INSTANCE);
    p.fireChannelActive();
    return ch;
  }

  @Test
  void aLengthPrefixClaimingTwoGibibytesIsAnsweredWithFrameTooLargeAndClosed() throws Exception {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(Unpooled.buffer(4).writeInt(0x7FFFFFFF));

      List<Frame> frames = WireFrames.written(ch);
      assertThat(frames).hasSize(1);
      assertThat(frames.get(0).getError().getCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
      assertThat(frames.get(0).getError().getMessage()).startsWith("frame too large");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void anOversizedFrameAfterTheHandshakeClosesTheLinkAndTheHostIsLost() throws Exception {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(WireFrames.framed(hello("web-1", 2)));

      ch.writeInbound(Unpooled.buffer(4).writeInt(MAX_FRAME_BYTES + 1));

      List<Frame> frames = WireFrames.written(ch);
      assertThat(frames)
          .extracting(Frame::getBodyCase)
          .containsExactly(Frame.BodyCase.WELCOME, Frame.BodyCase.ERROR);
      assertThat(frames.get(1).getError().getCode()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
      assertThat(ch.isOpen()).isFalse();
      assertThat(registry.host("web-1").orElseThrow().state()).isEqualTo(LinkState.LOST);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void bytesThatAreNotAFrameAreAnsweredWithMalformedFrameAndClosed() throws Exception {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(Unpooled.buffer().writeInt(3).writeBytes(new byte[] {-1, -1, -1}));

      List<Frame> frames = WireFrames.written(ch);
      assertThat(frames).hasSize(1);
      assertThat(frames.get(0).getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
      assertThat(ch.isOpen()).isFalse();
      assertThat(registry.hosts()).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void framesSplitAcrossReadsAreReassembledAndAcked() throws Exception {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(WireFrames.framed(hello("web-1", 2)));
      ByteBuf both =
          Unpooled.wrappedBuffer(
              WireFrames.framed(snapshot(1, 100, 200)), WireFrames.framed(snapshot(2, 3, 4)));
      int half = both.readableBytes() / 2 + 1;

      ch.writeInbound(both.readRetainedSlice(half));
      ch.writeInbound(both);

      List<Frame> frames = WireFrames.written(ch);
      assertThat(frames)
          .extracting(Frame::getBodyCase)
          .containsExactly(Frame.BodyCase.WELCOME, Frame.BodyCase.ACK, Frame.BodyCase.ACK);
      assertThat(frames.get(2).getAck().getSeq()).isEqualTo(2);
      assertThat(registry.host("web-1").orElseThrow().samples()).isEqualTo(2);
      assertThat(ch.isOpen()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aQuietLinkGetsAHeartbeatFromTheCollector() throws Exception {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(WireFrames.framed(hello("web-1", 2)));

      ch.advanceTimeBy(11, TimeUnit.SECONDS);
      ch.runPendingTasks();

      assertThat(WireFrames.written(ch))
          .extracting(Frame::getBodyCase)
          .containsExactly(Frame.BodyCase.WELCOME, Frame.BodyCase.HEARTBEAT);
      assertThat(ch.isOpen()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aLinkSilentForTooLongIsClosedAndTheHostIsLost() throws Exception {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(WireFrames.framed(hello("web-1", 2)));

      for (int second = 0; second < 31; second++) {
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runPendingTasks();
      }

      assertThat(ch.isOpen()).isFalse();
      assertThat(registry.host("web-1").orElseThrow().state()).isEqualTo(LinkState.LOST);
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
