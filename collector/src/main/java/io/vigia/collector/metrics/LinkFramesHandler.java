package io.vigia.collector.metrics;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.vigia.proto.Frame;

/**
 * Sits right before the session: every decoded frame passes it inbound, and every frame the
 * collector answers with passes it outbound, so it counts both without the session knowing.
 */
@Sharable
final class LinkFramesHandler extends ChannelDuplexHandler {

  private final CollectorMetrics metrics;

  LinkFramesHandler(CollectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Frame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    metrics.frame(frame.getBodyCase());
    if (!frame.hasSnapshot()) {
      ctx.fireChannelRead(msg);
      return;
    }
    // The session checks and stores the snapshot synchronously, within this call.
    long start = System.nanoTime();
    ctx.fireChannelRead(msg);
    metrics.snapshotHandled(System.nanoTime() - start);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    // The collector answers bad input, whoever found it, with one Error frame before closing.
    if (msg instanceof Frame frame && frame.hasError()) {
      metrics.rejected(frame.getError().getCode());
    }
    ctx.write(msg, promise);
  }
}
