package io.vigia.codec;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.vigia.proto.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an idle link observable. On writer idle it sends a {@code Heartbeat}; on reader idle it
 * closes the link (the peer is gone or the path is half open). Inbound heartbeats stop here: they
 * only prove the peer is alive, which the idle detector has already noted.
 *
 * <p>Stateless and shared; installed by {@link FrameCodec#installLiveness}.
 */
@Sharable
public final class HeartbeatHandler extends ChannelDuplexHandler {

  static final HeartbeatHandler INSTANCE = new HeartbeatHandler();

  private static final Logger log = LoggerFactory.getLogger(HeartbeatHandler.class);

  private HeartbeatHandler() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof Frame frame && frame.hasHeartbeat()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent idle) {
      if (idle.state() == IdleState.WRITER_IDLE) {
        // A heartbeat that cannot be written needs no report: the link is already failing,
        // and reader idleness or the close will say so.
        ctx.writeAndFlush(Frames.heartbeat(System.currentTimeMillis()));
      } else if (idle.state() == IdleState.READER_IDLE) {
        log.warn("Link to {} silent for too long; closing it", ctx.channel().remoteAddress());
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }
}
