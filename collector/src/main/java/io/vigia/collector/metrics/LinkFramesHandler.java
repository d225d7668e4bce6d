package io.vigia.collector.metrics;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.vigia.codec.SnapshotBytes;
import io.vigia.proto.Frame;
import io.vigia.proto.SampleRefusal;

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
    boolean snapshot;
    if (msg instanceof SnapshotBytes) {
      // A snapshot frame the collector reads from its bytes, undecoded so far.
      snapshot = true;
      metrics.frame(Frame.BodyCase.SNAPSHOT);
    } else if (msg instanceof Frame frame) {
      snapshot = frame.hasSnapshot();
      metrics.frame(frame.getBodyCase());
    } else {
      ctx.fireChannelRead(msg);
      return;
    }
    if (!snapshot) {
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
    if (msg instanceof Frame frame) {
      if (frame.hasError()) {
        metrics.rejected(frame.getError().getCode());
      } else if (frame.hasAck()
          && frame.getAck().getRefused() != SampleRefusal.SAMPLE_REFUSAL_UNSPECIFIED) {
        // A sample refused alone, its link kept: the Ack that settles it says why.
        metrics.sampleRefused(frame.getAck().getRefused());
      }
    }
    ctx.write(msg, promise);
  }
}
