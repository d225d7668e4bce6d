package io.vigia.collector.ingest;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vigia.codec.FrameCodec;
import io.vigia.codec.Frames;
import io.vigia.proto.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of an agent link: a decode failure (oversized length prefix, bytes that are not
 * a frame) is answered with an {@code Error} frame and the link closed; any other failure (a reset
 * connection) just closes it. One log line either way; other links are untouched.
 */
@Sharable
final class RejectOnErrorHandler extends ChannelInboundHandlerAdapter {

  static final RejectOnErrorHandler INSTANCE = new RejectOnErrorHandler();

  private static final Logger log = LoggerFactory.getLogger(RejectOnErrorHandler.class);
  // Garbage from a flood of links is one line per 10 s, not one per link.
  private static final RateLimitedLog REJECTIONS = new RateLimitedLog(log);

  private RejectOnErrorHandler() {}

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    String from = SessionHandler.address(ctx.channel().remoteAddress());
    ErrorCode code = FrameCodec.classify(cause);
    if (code == ErrorCode.ERROR_CODE_UNSPECIFIED) {
      REJECTIONS.warn(
          cause.getClass().getName(), "Link from " + from + " failed: " + cause.toString());
      ctx.close();
      return;
    }
    // In words for the agent's log; the decoder's own detail goes to this log only.
    String message =
        code == ErrorCode.FRAME_TOO_LARGE
            ? "frame too large: a frame is longer than this collector takes (--max-frame-bytes)"
            : "malformed frame: these bytes are not a Vigia frame (a 4-byte length, then a"
                + " protobuf Frame); is the agent a Vigia agent of a compatible version?";
    REJECTIONS.warn(
        code.name(),
        "Rejecting the link from " + from + ": " + message + " (" + cause.getMessage() + ")");
    if (ctx.channel().isActive()) {
      ctx.writeAndFlush(Frames.error(code, message)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }
}
