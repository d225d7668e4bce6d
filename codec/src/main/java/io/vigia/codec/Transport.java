package io.vigia.codec;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The socket transport of the agent's and the collector's event loops: Linux's epoll through
 * Netty's native library when it loads (fewer system calls and less work per read and write: most
 * of the collector's work under a large fleet, and much of an idle agent's), Java NIO anywhere
 * else.
 */
public enum Transport {
  EPOLL,
  NIO;

  /** Epoll where available, unless {@code -Dvigia.transport=nio} asks for NIO. */
  public static Transport best() {
    if ("nio".equalsIgnoreCase(System.getProperty("vigia.transport"))) {
      return NIO;
    }
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  public IoHandlerFactory ioHandler() {
    return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  public Class<? extends ServerChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  public Class<? extends SocketChannel> socketChannel() {
    return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
  }
}
