package io.vigia.agent.link;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.vigia.proto.Ack;
import io.vigia.proto.Frame;
import io.vigia.proto.SampleRefusal;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of the handshake and of acknowledgements: sends {@code Hello} as soon as the
 * link is up, reports {@code Welcome} and {@code Ack} to the link's owner, and closes the link on
 * the collector's {@code Error} or {@code Goodbye}. A sample the collector refused (its {@code Ack}
 * says why) is settled like a stored one and logged, at most once a minute with the count since.
 * One instance per connection.
 */
final class LinkHandler extends SimpleChannelInboundHandler<Frame> {

  private static final Logger log = LoggerFactory.getLogger(LinkHandler.class);

  private final Supplier<Frame> hello;
  private final LinkEvents events;
  private long refusedLoggedAt;
  private long refusedSince;

  LinkHandler(Frame hello, LinkEvents events) {
    this(() -> hello, events);
  }

  /**
   * @param hello asked for when the link is up: each link may introduce a different run
   */
  LinkHandler(Supplier<Frame> hello, LinkEvents events) {
    this.hello = hello;
    this.events = events;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.writeAndFlush(hello.get()).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
    switch (frame.getBodyCase()) {
      case WELCOME -> events.welcomed(ctx.channel(), frame.getWelcome());
      case ACK -> {
        if (frame.getAck().getRefused() != SampleRefusal.SAMPLE_REFUSAL_UNSPECIFIED) {
          refused(frame.getAck());
        }
        events.acknowledged(frame.getAck().getSeq());
      }
      case ERROR -> {
        events.refused(ctx.channel(), frame.getError().getCode(), frame.getError().getMessage());
        ctx.close();
      }
      case GOODBYE -> {
        log.info(
            "Collector {} is closing the link: {}",
            ctx.channel().remoteAddress(),
            frame.getGoodbye().getReason());
        ctx.close();
      }
      default ->
          log.debug(
              "Ignoring a {} frame from {}", frame.getBodyCase(), ctx.channel().remoteAddress());
    }
  }

  private void refused(Ack ack) {
    refusedSince++;
    long now = System.nanoTime();
    if (refusedLoggedAt != 0 && now - refusedLoggedAt < 60_000_000_000L) {
      return;
    }
    refusedLoggedAt = now == 0 ? 1 : now;
    log.warn(
        "The collector refused {} (dropped from the spool): {}",
        refusedSince == 1 ? "a sample" : refusedSince + " samples in the last minute; the last",
        ack.getRefusedMessage());
    refusedSince = 0;
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      events.writable(ctx.channel());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.warn("Link to {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
