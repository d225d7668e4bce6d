package io.vigia.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.codec.protobuf.ProtobufEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Installs the wire handlers of a Vigia link, the same on the agent and the collector, so the
 * framing is written exactly once.
 *
 * <p>Each message is one {@link Frame} preceded by its length:
 *
 * <pre>
 * +----------------------+--------------------------------+
 * | length: 4 bytes, BE  | Frame (protobuf), length bytes |
 * +----------------------+--------------------------------+
 * </pre>
 *
 * <p>A length above {@code maxFrameBytes} fails the read with {@link TooLongFrameException} as soon
 * as the prefix arrives; the decoder discards instead of buffering, so nothing of the announced
 * size is ever allocated. The endpoint's exception handler then closes the link.
 *
 * <pre>{@code
 * protected void initChannel(SocketChannel ch) {
 *   ChannelPipeline p = ch.pipeline();
 *   FrameCodec.install(p, Protocol.DEFAULT_MAX_FRAME_BYTES);
 *   FrameCodec.installLiveness(p, Duration.ofSeconds(30), Duration.ofSeconds(10));
 *   p.addLast(new MyBusinessHandler());
 * }
 * }</pre>
 */
public final class FrameCodec {

  /** Pipeline name of the length-prefix splitter. */
  public static final String FRAME_DECODER = "frameDecoder";

  /** Pipeline name of the bytes-to-{@link Frame} decoder. */
  public static final String PROTO_DECODER = "protoDecoder";

  /** Pipeline name of the length-prefix writer. */
  public static final String FRAME_ENCODER = "frameEncoder";

  /** Pipeline name of the {@link Frame}-to-bytes encoder. */
  public static final String PROTO_ENCODER = "protoEncoder";

  /** Pipeline name of the idle detector installed by {@link #installLiveness}. */
  public static final String IDLE = "idle";

  /** Pipeline name of the {@link HeartbeatHandler}. */
  public static final String HEARTBEAT = "heartbeat";

  private static final int LENGTH_BYTES = 4;

  private static final ProtobufDecoder FRAME_PROTO_DECODER =
      new ProtobufDecoder(Frame.getDefaultInstance());
  private static final ProtobufEncoder FRAME_PROTO_ENCODER = new ProtobufEncoder();
  private static final LengthFieldPrepender LENGTH_PREPENDER =
      new LengthFieldPrepender(LENGTH_BYTES);

  private FrameCodec() {}

  /**
   * Adds the four wire handlers at the end of {@code pipeline}.
   *
   * @param maxFrameBytes the largest frame body accepted, excluding the length prefix
   * @throws IllegalArgumentException if {@code maxFrameBytes} is not positive
   */
  public static void install(ChannelPipeline pipeline, int maxFrameBytes) {
    if (maxFrameBytes <= 0 || maxFrameBytes > Integer.MAX_VALUE - LENGTH_BYTES) {
      throw new IllegalArgumentException(
          "maxFrameBytes must be within 1.."
              + (Integer.MAX_VALUE - LENGTH_BYTES)
              + ": "
              + maxFrameBytes);
    }
    // The decoder's limit counts the prefix too; failFast rejects on the prefix alone.
    pipeline.addLast(
        FRAME_DECODER,
        new LengthFieldBasedFrameDecoder(
            maxFrameBytes + LENGTH_BYTES, 0, LENGTH_BYTES, 0, LENGTH_BYTES, true));
    pipeline.addLast(PROTO_DECODER, FRAME_PROTO_DECODER);
    pipeline.addLast(FRAME_ENCODER, LENGTH_PREPENDER);
    pipeline.addLast(PROTO_ENCODER, FRAME_PROTO_ENCODER);
  }

  /**
   * Adds idle detection and the {@link HeartbeatHandler}: a {@code Heartbeat} goes out after {@code
   * heartbeatEvery} without a write, and the link is closed after {@code silentAfter} without a
   * read.
   */
  public static void installLiveness(
      ChannelPipeline pipeline, Duration silentAfter, Duration heartbeatEvery) {
    if (silentAfter.isNegative() || silentAfter.isZero()) {
      throw new IllegalArgumentException("silentAfter must be positive: " + silentAfter);
    }
    if (heartbeatEvery.isNegative() || heartbeatEvery.isZero()) {
      throw new IllegalArgumentException("heartbeatEvery must be positive: " + heartbeatEvery);
    }
    pipeline.addLast(
        IDLE,
        new IdleStateHandler(
            silentAfter.toMillis(), heartbeatEvery.toMillis(), 0, TimeUnit.MILLISECONDS));
    pipeline.addLast(HEARTBEAT, HeartbeatHandler.INSTANCE);
  }

  /**
   * Replaces the timeouts {@link #installLiveness} set, for instance once the peer has told its own
   * heartbeat period.
   */
  public static void adjustLiveness(
      ChannelPipeline pipeline, Duration silentAfter, Duration heartbeatEvery) {
    pipeline.replace(
        IDLE,
        IDLE,
        new IdleStateHandler(
            silentAfter.toMillis(), heartbeatEvery.toMillis(), 0, TimeUnit.MILLISECONDS));
  }

  /**
   * Tells which protocol error a pipeline exception stands for: {@code FRAME_TOO_LARGE} for an
   * oversized length prefix, {@code MALFORMED_FRAME} for bytes that are not a {@link Frame}, and
   * {@code ERROR_CODE_UNSPECIFIED} for anything else (an I/O error, a bug).
   */
  public static ErrorCode classify(Throwable cause) {
    if (cause instanceof TooLongFrameException) {
      return ErrorCode.FRAME_TOO_LARGE;
    }
    if (cause instanceof DecoderException
        && cause.getCause() instanceof InvalidProtocolBufferException) {
      return ErrorCode.MALFORMED_FRAME;
    }
    return ErrorCode.ERROR_CODE_UNSPECIFIED;
  }
}
