package io.vigia.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.vigia.proto.CpuSample;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameCodecTest {

  private static final int MAX = Protocol.DEFAULT_MAX_FRAME_BYTES;

  /** A core's busy share over a realistic spread of load, most of them needing two bytes. */
  private static final int[] SIXTEEN_CORES = {
    412, 398, 377, 356, 301, 288, 265, 240, 221, 198, 176, 152, 131, 120, 97, 84
  };

  private static final Frame HELLO =
      Frame.newBuilder()
          .setHello(
              Hello.newBuilder()
                  .setProtocolVersion(Protocol.VERSION)
                  .setAgentId("web-01-3d1219c7")
                  .setHostname("web-01.example.org")
                  .setOs("Debian GNU/Linux 12 (bookworm) 6.1")
                  .setCores(16)
                  .setAgentVersion("0.1.0")
                  .setEpoch(8_237_461_923_004_117L)
                  .setToken("s3cret")
                  .setIntervalMs(5000))
          .build();

  /** One day of 5 s samples into a run, at 2026-01-01T00:00:00Z, about a third busy. */
  private static Frame cpuSnapshot(int cores) {
    CpuSample.Builder cpu =
        CpuSample.newBuilder()
            .setBusy(312)
            .setUser(215)
            .setSystem(84)
            .setSoftirq(13)
            .setIowait(12)
            .setIdle(676);
    for (int core = 0; core < cores; core++) {
      cpu.addCoreBusy(SIXTEEN_CORES[core]);
    }
    return Frame.newBuilder()
        .setSnapshot(
            Snapshot.newBuilder()
                .setSeq(17_280)
                .setTimeMs(1_767_225_600_000L)
                .setIntervalMs(5000)
                .setCpu(cpu))
        .build();
  }

  private static byte[] prefixed(int length, byte[] body) {
    return ByteBuffer.allocate(4 + body.length).putInt(length).put(body).array();
  }

  /**
   * Feeds {@code bytes} to a codec channel with the given limit; returns what the pipeline threw.
   */
  private static Throwable inboundFailure(int maxFrameBytes, byte[] bytes) {
    EmbeddedChannel ch = Wire.codecChannel(maxFrameBytes);
    try {
      Throwable thrown = catchThrowable(() -> ch.writeInbound(Unpooled.wrappedBuffer(bytes)));
      assertThat(Wire.readInbound(ch)).isEmpty();
      return thrown;
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void helloComesBackUnchangedAfterEncodeAndDecode() {
    assertThat(Wire.decode(Wire.encode(HELLO))).containsExactly(HELLO);
  }

  @Test
  void snapshotWithSixteenPackedCoresComesBackUnchanged() {
    Frame snapshot = cpuSnapshot(16);

    List<Frame> decoded = Wire.decode(Wire.encode(snapshot));

    assertThat(decoded).containsExactly(snapshot);
    assertThat(decoded.get(0).getSnapshot().getCpu().getCoreBusyList())
        .containsExactly(Arrays.stream(SIXTEEN_CORES).boxed().toArray(Integer[]::new));
  }

  @Test
  void encodedFrameIsItsBigEndianBodyLengthFollowedByTheProtobufBody() {
    byte[] body = HELLO.toByteArray();

    assertThat(Wire.encode(HELLO)).isEqualTo(prefixed(body.length, body));
  }

  @Test
  void severalFramesInOneBufferAreEachDecodedExactlyOnce() {
    Frame ack = Frames.ack(41);
    Frame snapshot = cpuSnapshot(2);
    Frame goodbye = Frames.goodbye("agent stopping");

    assertThat(Wire.decode(Wire.encode(ack, snapshot, goodbye)))
        .containsExactly(ack, snapshot, goodbye);
  }

  @Test
  void frameFedOneByteAtATimeIsDecodedOnceWhenItsLastByteArrives() {
    byte[] wire = Wire.encode(cpuSnapshot(16));
    EmbeddedChannel ch = Wire.codecChannel(MAX);
    try {
      for (int i = 0; i < wire.length - 1; i++) {
        ch.writeInbound(Unpooled.wrappedBuffer(wire, i, 1));
        assertThat(Wire.readInbound(ch))
            .as("frames after %d of %d bytes", i + 1, wire.length)
            .isEmpty();
      }

      ch.writeInbound(Unpooled.wrappedBuffer(wire, wire.length - 1, 1));

      assertThat(Wire.readInbound(ch)).containsExactly(cpuSnapshot(16));
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void lengthPrefixAboveTheMaximumFailsAsSoonAsThePrefixArrives() {
    // A 2 GiB claim followed by the first few bytes of a body that never comes.
    byte[] claim = prefixed(0x7FFFFFFF, new byte[] {0x0a, 0x05, 0x08});

    assertThat(inboundFailure(MAX, claim))
        .isInstanceOf(TooLongFrameException.class)
        .hasMessageContaining("2147483651");
  }

  @Test
  void bodyOfExactlyMaxBytesIsAcceptedAndOneByteMoreIsRejected() {
    int max = 64;
    Frame fits = goodbyeOfSize(max);
    Frame tooBig = goodbyeOfSize(max + 1);
    EmbeddedChannel ch = Wire.codecChannel(max);
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(Wire.encode(fits)));
      assertThat(Wire.readInbound(ch)).containsExactly(fits);

      assertThatThrownBy(() -> ch.writeInbound(Unpooled.wrappedBuffer(Wire.encode(tooBig))))
          .isInstanceOf(TooLongFrameException.class);
      assertThat(Wire.readInbound(ch)).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  private static Frame goodbyeOfSize(int bytes) {
    for (int n = 0; n < bytes; n++) {
      Frame frame = Frames.goodbye("x".repeat(n));
      if (frame.getSerializedSize() == bytes) {
        return frame;
      }
    }
    throw new AssertionError("no Goodbye serializes to exactly " + bytes + " bytes");
  }

  @Test
  void garbageBodyWithPlausibleLengthFailsAsAnInvalidProtobuf() {
    byte[] garbage = "not a frame".getBytes(StandardCharsets.US_ASCII);

    assertThat(inboundFailure(MAX, prefixed(garbage.length, garbage)))
        .isInstanceOf(DecoderException.class)
        .hasCauseInstanceOf(InvalidProtocolBufferException.class);
  }

  @Test
  void oversizedLengthPrefixIsClassifiedAsFrameTooLarge() {
    Throwable thrown = inboundFailure(MAX, prefixed(MAX + 1, new byte[0]));

    assertThat(FrameCodec.classify(thrown)).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void lengthPrefixWithTheHighBitSetIsReadAsUnsignedAndRejectedAsTooLarge() {
    // 0xFFFFFFFF is a 4 GiB claim, not -1: it must not pass as a small or negative length.
    Throwable thrown = inboundFailure(MAX, prefixed(0xFFFFFFFF, new byte[] {0x0a}));

    assertThat(thrown).isInstanceOf(TooLongFrameException.class);
    assertThat(FrameCodec.classify(thrown)).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
  }

  @Test
  void bytesThatAreNotAFrameAreClassifiedAsMalformedFrame() {
    byte[] garbage = "not a frame".getBytes(StandardCharsets.US_ASCII);
    Throwable thrown = inboundFailure(MAX, prefixed(garbage.length, garbage));

    assertThat(FrameCodec.classify(thrown)).isEqualTo(ErrorCode.MALFORMED_FRAME);
  }

  @Test
  void ioErrorIsClassifiedAsUnspecified() {
    assertThat(FrameCodec.classify(new IOException("Connection reset by peer")))
        .isEqualTo(ErrorCode.ERROR_CODE_UNSPECIFIED);
  }

  @Test
  void decoderExceptionWithoutAProtobufCauseIsClassifiedAsUnspecified() {
    assertThat(FrameCodec.classify(new DecoderException(new IllegalStateException("bug"))))
        .isEqualTo(ErrorCode.ERROR_CODE_UNSPECIFIED);
  }

  @Test
  void installRejectsANonPositiveMaximumNamingIt() {
    EmbeddedChannel ch = new EmbeddedChannel();
    try {
      assertThatThrownBy(() -> FrameCodec.install(ch.pipeline(), 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("maxFrameBytes")
          .hasMessageContaining("0");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void cpuSnapshotsAreSmallOnTheWire() {
    int twoCores = Wire.encode(cpuSnapshot(2)).length;
    int sixteenCores = Wire.encode(cpuSnapshot(16)).length;
    System.out.printf(
        "Encoded CPU snapshot incl. 4-byte length prefix: 2 cores = %d bytes, 16 cores = %d bytes%n",
        twoCores, sixteenCores);

    assertThat(twoCores).isLessThan(48);
    assertThat(sixteenCores).isLessThan(70);
    // Packed per-mille values: 14 more cores cost at most 2 bytes each, no tag per value.
    assertThat(sixteenCores - twoCores).isLessThanOrEqualTo(14 * 2);
  }
}
