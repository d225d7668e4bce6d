package io.vigia.collector.metrics;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Counts agent links and the bytes they bring, before any decoding. */
@Sharable
final class LinkBytesHandler extends ChannelInboundHandlerAdapter {

  private final CollectorMetrics metrics;

  LinkBytesHandler(CollectorMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    metrics.linkOpened();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    metrics.linkClosed();
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      metrics.received(bytes.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }
}
