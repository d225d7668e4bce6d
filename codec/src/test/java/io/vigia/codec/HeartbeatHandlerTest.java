package io.vigia.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.proto.Frame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HeartbeatHandlerTest {

  private static final Duration SILENT_AFTER = Duration.ofSeconds(30);
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(10);

  /** Codec plus liveness, as both ends install them, on a channel whose clock stands still. */
  private static EmbeddedChannel link() {
    EmbeddedChannel ch = Wire.codecChannel(Protocol.DEFAULT_MAX_FRAME_BYTES);
    FrameCodec.installLiveness(ch.pipeline(), SILENT_AFTER, HEARTBEAT_EVERY);
    return ch;
  }

  /**
   * Moves the frozen clock forward a second at a time, running what falls due at each step, as a
   * real event loop would. One big jump would run overdue timers out of order: EmbeddedChannel runs
   * pending timers from inside a write, so the reader-idle close would land in the middle of the
   * heartbeat's write.
   */
  private static void advance(EmbeddedChannel ch, Duration by) {
    long remaining = by.toMillis();
    while (remaining > 0) {
      long step = Math.min(remaining, 1000);
      ch.advanceTimeBy(step, TimeUnit.MILLISECONDS);
      ch.runPendingTasks();
      remaining -= step;
    }
  }

  private static void receive(EmbeddedChannel ch, Frame frame) {
    ch.writeInbound(Unpooled.wrappedBuffer(Wire.encode(frame)));
  }

  @Test
  void heartbeatIsWrittenAfterHeartbeatEveryWithoutWrites() {
    EmbeddedChannel ch = link();
    try {
      advance(ch, HEARTBEAT_EVERY);

      List<Frame> written = Wire.decode(Wire.drainOutbound(ch));
      assertThat(written).hasSize(1);
      assertThat(written.get(0).hasHeartbeat()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void nothingIsWrittenJustBeforeHeartbeatEvery() {
    EmbeddedChannel ch = link();
    try {
      advance(ch, HEARTBEAT_EVERY.minusMillis(1));

      assertThat(Wire.drainOutbound(ch)).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void outgoingFramePostponesTheHeartbeat() {
    EmbeddedChannel ch = link();
    try {
      advance(ch, Duration.ofSeconds(6));
      ch.writeOutbound(Frames.ack(7));
      Wire.drainOutbound(ch);

      advance(ch, Duration.ofSeconds(6));

      assertThat(Wire.drainOutbound(ch)).as("12 s after start, 6 s after the Ack").isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void linkIsClosedAfterSilentAfterWithoutReads() {
    EmbeddedChannel ch = link();
    try {
      advance(ch, SILENT_AFTER);

      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void linkStaysOpenJustBeforeSilentAfter() {
    EmbeddedChannel ch = link();
    try {
      advance(ch, SILENT_AFTER.minusMillis(1));

      assertThat(ch.isOpen()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void ownHeartbeatsDoNotKeepASilentLinkOpen() {
    EmbeddedChannel ch = link();
    try {
      for (int i = 0; i < 3; i++) {
        advance(ch, HEARTBEAT_EVERY);
      }

      assertThat(Wire.decode(Wire.drainOutbound(ch))).allMatch(Frame::hasHeartbeat).isNotEmpty();
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void inboundHeartbeatKeepsTheLinkOpen() {
    EmbeddedChannel ch = link();
    try {
      advance(ch, Duration.ofSeconds(20));
      receive(ch, Frames.heartbeat(1_767_225_620_000L));

      advance(ch, Duration.ofSeconds(20));

      assertThat(ch.isOpen()).as("40 s after start, 20 s after the peer's heartbeat").isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void inboundHeartbeatIsNotPassedToTheNextHandler() {
    EmbeddedChannel ch = link();
    try {
      receive(ch, Frames.heartbeat(1_767_225_600_000L));

      assertThat(Wire.readInbound(ch)).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void inboundFramesOtherThanHeartbeatArePassedOn() {
    EmbeddedChannel ch = link();
    try {
      receive(ch, Frames.ack(3));
      receive(ch, Frames.heartbeat(1_767_225_600_000L));
      receive(ch, Frames.goodbye("collector stopping"));

      assertThat(Wire.readInbound(ch))
          .containsExactly(Frames.ack(3), Frames.goodbye("collector stopping"));
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void installLivenessRejectsNonPositiveDurationsNamingThem() {
    EmbeddedChannel ch = new EmbeddedChannel();
    try {
      assertThatThrownBy(
              () -> FrameCodec.installLiveness(ch.pipeline(), Duration.ZERO, HEARTBEAT_EVERY))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("silentAfter");
      assertThatThrownBy(
              () -> FrameCodec.installLiveness(ch.pipeline(), SILENT_AFTER, Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("heartbeatEvery")
          .hasMessageContaining("PT-1S");
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
