package io.vigia.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.proto.CpuSample;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The frame decoder fed random and mutated bytes in random chunks: the only failures are the
 * protocol errors the collector answers ({@code FRAME_TOO_LARGE}, {@code MALFORMED_FRAME}), and the
 * memory it holds follows the bytes received, never a length the peer claims.
 */
class FrameDecoderPropertyTest {

  private static final int MAX = 64 * 1024;

  /** What one link did with some input. */
  private record Outcome(List<Frame> frames, List<Throwable> failures, long peakBytes) {}

  private static Outcome feed(byte[] input, List<Integer> cuts) {
    UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false, true, false);
    List<Throwable> failures = new ArrayList<>();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAllocator(alloc);
    FrameCodec.install(ch.pipeline(), MAX);
    ch.pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failures.add(cause);
                ctx.close();
              }
            });
    List<Frame> frames = new ArrayList<>();
    long peak = 0;
    try {
      int at = 0;
      for (int cut : cuts) {
        if (at >= input.length || !ch.isOpen()) {
          break;
        }
        int n = Math.min(cut, input.length - at);
        ByteBuf chunk = alloc.heapBuffer(n).writeBytes(input, at, n);
        at += n;
        ch.writeInbound(chunk);
        for (Object msg = ch.readInbound(); msg != null; msg = ch.readInbound()) {
          frames.add((Frame) msg);
        }
        peak = Math.max(peak, alloc.metric().usedHeapMemory() + alloc.metric().usedDirectMemory());
      }
    } finally {
      ch.finishAndReleaseAll();
    }
    return new Outcome(frames, failures, peak);
  }

  private static void assertOnlyProtocolErrors(Outcome outcome) {
    assertThat(outcome.failures())
        .allSatisfy(
            failure ->
                assertThat(FrameCodec.classify(failure))
                    .as("%s", failure)
                    .isIn(ErrorCode.FRAME_TOO_LARGE, ErrorCode.MALFORMED_FRAME));
  }

  @Property(tries = 500)
  void randomBytesFailOnlyAsProtocolErrors(
      @ForAll @Size(max = 20_000) byte[] input,
      @ForAll @Size(min = 1, max = 50) List<@IntRange(min = 1, max = 4096) Integer> cuts) {
    Outcome outcome = feed(input, cuts);

    assertOnlyProtocolErrors(outcome);
    // Whatever the bytes claim, the decoder holds about what it has received.
    assertThat(outcome.peakBytes()).isLessThanOrEqualTo(4L * input.length + 1024);
  }

  @Property(tries = 500)
  void mutatedValidFramesFailOnlyAsProtocolErrors(
      @ForAll("validWire") byte[] wire,
      @ForAll("mutations") List<int[]> mutations,
      @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 512) Integer> cuts) {
    byte[] input = wire.clone();
    for (int[] mutation : mutations) {
      int at = Math.floorMod(mutation[0], input.length);
      switch (mutation[1] % 3) {
        case 0 -> input[at] = (byte) mutation[2];
        case 1 -> input[at] ^= (byte) (1 << (mutation[2] & 7));
        default -> input = java.util.Arrays.copyOf(input, Math.max(1, at));
      }
    }
    Outcome outcome = feed(input, cuts);

    assertOnlyProtocolErrors(outcome);
    assertThat(outcome.peakBytes()).isLessThanOrEqualTo(4L * input.length + 1024);
  }

  @Property(tries = 300)
  void aClaimedLengthIsNeverAllocated(
      @ForAll @IntRange(min = 1) int claimedLength, @ForAll @Size(max = 64) byte[] following) {
    byte[] input =
        ByteBuffer.allocate(4 + following.length).putInt(claimedLength).put(following).array();
    Outcome outcome = feed(input, List.of(input.length));

    assertOnlyProtocolErrors(outcome);
    assertThat(outcome.peakBytes()).isLessThanOrEqualTo(1024);
    if (Integer.toUnsignedLong(claimedLength) > MAX) {
      assertThat(outcome.failures()).isNotEmpty();
      assertThat(FrameCodec.classify(outcome.failures().get(0)))
          .isEqualTo(ErrorCode.FRAME_TOO_LARGE);
    }
  }

  @Property(tries = 200)
  void validFramesInAnyChunkingDecodeUnchanged(
      @ForAll("validWire") byte[] wire,
      @ForAll @Size(min = 1, max = 50) List<@IntRange(min = 1, max = 64) Integer> cuts) {
    List<Integer> enough = new ArrayList<>(cuts);
    enough.add(wire.length);
    Outcome outcome = feed(wire, enough);

    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.frames()).hasSize(3);
    assertThat(outcome.frames().get(0).hasHello()).isTrue();
  }

  @Provide
  Arbitrary<byte[]> validWire() {
    Arbitrary<Integer> cores = Arbitraries.integers().between(1, 64);
    Arbitrary<Long> seq = Arbitraries.longs().between(1, Long.MAX_VALUE / 2);
    return Combinators.combine(cores, seq, Arbitraries.strings().ofMaxLength(40))
        .as(
            (n, s, id) -> {
              Frame hello =
                  Frame.newBuilder()
                      .setHello(
                          Hello.newBuilder()
                              .setProtocolVersion(Protocol.VERSION)
                              .setAgentId(id)
                              .setCores(n)
                              .setEpoch(s))
                      .build();
              CpuSample.Builder cpu = CpuSample.newBuilder().setBusy(500);
              for (int i = 0; i < n; i++) {
                cpu.addCoreBusy(i * 13 % 1001);
              }
              Frame one =
                  Frame.newBuilder()
                      .setSnapshot(Snapshot.newBuilder().setSeq(s).setCpu(cpu))
                      .build();
              Frame two =
                  Frame.newBuilder()
                      .setSnapshot(Snapshot.newBuilder().setSeq(s + 1).setCpu(cpu))
                      .build();
              return wire(hello, one, two);
            });
  }

  @Provide
  Arbitrary<List<int[]>> mutations() {
    return Arbitraries.integers()
        .array(int[].class)
        .ofSize(3)
        .map(m -> new int[] {m[0], Math.abs(m[1] % 3), m[2]})
        .list()
        .ofMinSize(1)
        .ofMaxSize(8);
  }

  private static byte[] wire(Frame... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame frame : frames) {
      byte[] body = frame.toByteArray();
      out.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
      out.writeBytes(body);
    }
    return out.toByteArray();
  }
}
