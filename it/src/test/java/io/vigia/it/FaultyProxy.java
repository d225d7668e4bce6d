package io.vigia.it;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy between agents and a collector that breaks links on demand: cut them, stall them
 * (stop forwarding without closing: a half-open link as far as the ends can tell), delay them, or
 * forward half of the next chunk an agent sends and then cut (a frame cut in half).
 *
 * <p>Thread-safety: the fault switches may be flipped from any thread.
 */
final class FaultyProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory("faulty-proxy", true), NioIoHandler.newFactory());
  private final ChannelGroup links = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicBoolean cutNextChunkInHalf = new AtomicBoolean();
  private volatile boolean stalled;
  private volatile long delayNanos;
  private final Channel server;

  FaultyProxy(InetSocketAddress target) {
    this.target = target;
    this.server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childOption(ChannelOption.AUTO_READ, false)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel agentSide) {
                    links.add(agentSide);
                    connectUpstream(agentSide);
                  }
                })
            .bind(new InetSocketAddress("127.0.0.1", 0))
            .syncUninterruptibly()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port());
  }

  /** Closes every proxied link, both sides. */
  void cutAll() {
    links.close();
  }

  /** Stops (or resumes) forwarding in both directions; the links stay open. */
  void stall(boolean stall) {
    stalled = stall;
    for (Channel link : links) {
      link.config().setAutoRead(!stall);
    }
  }

  /** Holds every chunk this long before forwarding it. */
  void delay(Duration delay) {
    delayNanos = delay.toNanos();
  }

  /** Forwards only the first half of the next chunk an agent sends, then cuts that link. */
  void cutNextFrameInHalf() {
    cutNextChunkInHalf.set(true);
  }

  /** Switches every fault off: forwarding resumes, no delay, no armed half-cut. */
  void heal() {
    cutNextChunkInHalf.set(false);
    delay(Duration.ZERO);
    stall(false);
  }

  private void connectUpstream(Channel agentSide) {
    new Bootstrap()
        .group(agentSide.eventLoop())
        .channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new Relay(agentSide, false))
        .connect(target)
        .addListener(
            (ChannelFutureListener)
                connected -> {
                  if (!connected.isSuccess()) {
                    agentSide.close();
                    return;
                  }
                  Channel collectorSide = connected.channel();
                  links.add(collectorSide);
                  agentSide.pipeline().addLast(new Relay(collectorSide, true));
                  agentSide.closeFuture().addListener(c -> collectorSide.close());
                  collectorSide.closeFuture().addListener(c -> agentSide.close());
                  agentSide.config().setAutoRead(!stalled);
                  collectorSide.config().setAutoRead(!stalled);
                });
  }

  /** Forwards what one side reads to the other, with the faults switched on. */
  private final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;
    private final boolean fromAgent;
    private final ArrayDeque<Held> held = new ArrayDeque<>();

    Relay(Channel peer, boolean fromAgent) {
      this.peer = peer;
      this.fromAgent = fromAgent;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf chunk = (ByteBuf) msg;
      if (fromAgent
          && chunk.readableBytes() >= 2
          && cutNextChunkInHalf.compareAndSet(true, false)) {
        ByteBuf half = chunk.readRetainedSlice(chunk.readableBytes() / 2);
        ReferenceCountUtil.release(chunk);
        peer.writeAndFlush(half).addListener(ChannelFutureListener.CLOSE);
        ctx.close();
        return;
      }
      long delay = delayNanos;
      if (delay == 0 && held.isEmpty()) {
        peer.writeAndFlush(chunk);
        return;
      }
      // A delayed link still delivers in order: a chunk never overtakes one held before it,
      // even once the delay is lifted (TCP never reorders bytes).
      held.addLast(new Held(System.nanoTime() + delay, chunk));
      if (held.size() == 1) {
        releaseDue(ctx);
      }
    }

    private record Held(long dueNanos, ByteBuf chunk) {}

    /** Forwards the held chunks that are due, in order, and comes back for the rest. */
    private void releaseDue(ChannelHandlerContext ctx) {
      long now = System.nanoTime();
      while (!held.isEmpty() && held.peekFirst().dueNanos() <= now) {
        peer.writeAndFlush(held.removeFirst().chunk());
      }
      if (!held.isEmpty()) {
        ctx.executor()
            .schedule(
                () -> releaseDue(ctx), held.peekFirst().dueNanos() - now, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      held.forEach(h -> ReferenceCountUtil.release(h.chunk()));
      held.clear();
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    links.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
