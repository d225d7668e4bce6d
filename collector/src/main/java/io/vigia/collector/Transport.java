package io.vigia.collector;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The socket transport of the collector's event loops: Linux's epoll through Netty's native library
 * when it loads (fewer system calls and less garbage per read and write, which is most of the
 * collector's work under a large fleet), Java NIO anywhere else.
 */
enum Transport {
  EPOLL,
  NIO;

  /** Epoll where available, unless {@code -Dvigia.transport=nio} asks for NIO. */
  static Transport best() {
    if ("nio".equalsIgnoreCase(System.getProperty("vigia.transport"))) {
      return NIO;
    }
    return Epoll.isAvailable() ? EPOLL : NIO;
  }

  IoHandlerFactory ioHandler() {
    return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
  }

  Class<? extends ServerChannel> serverChannel() {
    return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }
}
