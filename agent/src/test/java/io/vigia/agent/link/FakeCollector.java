package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.vigia.codec.FrameCodec;
import io.vigia.codec.Frames;
import io.vigia.codec.Protocol;
import io.vigia.proto.Frame;
import io.vigia.proto.Welcome;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A collector on a loopback port for the link's tests: it answers {@code Hello} with a {@code
 * Welcome} of a given protocol version (holding nothing yet), keeps every frame it receives for
 * {@link #next}, and, if asked to, acknowledges every snapshot and closes on {@code Goodbye}.
 */
final class FakeCollector implements AutoCloseable {

  private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();
  private final ChannelGroup links = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final Channel server;

  FakeCollector(EventLoopGroup group, int version, boolean acks) throws InterruptedException {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    links.add(ch);
                    FrameCodec.install(ch.pipeline(), Protocol.DEFAULT_MAX_FRAME_BYTES);
                    ch.pipeline()
                        .addLast(
                            new SimpleChannelInboundHandler<Frame>() {
                              @Override
                              protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
                                received.add(f);
                                if (f.hasHello()) {
                                  ctx.writeAndFlush(
                                      Frame.newBuilder()
                                          .setWelcome(
                                              Welcome.newBuilder()
                                                  .setSessionId("s")
                                                  .setProtocolVersion(version))
                                          .build());
                                } else if (acks && f.hasSnapshot()) {
                                  ctx.writeAndFlush(Frames.ack(f.getSnapshot().getSeq()));
                                } else if (acks && f.hasGoodbye()) {
                                  ctx.close();
                                }
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** The next frame received, waiting at most 10 s for it. */
  Frame next() throws InterruptedException {
    Frame frame = received.poll(10, TimeUnit.SECONDS);
    assertThat(frame).as("a frame within 10 s").isNotNull();
    return frame;
  }

  /** Stops listening and closes every link. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
    links.close().syncUninterruptibly();
  }
}
