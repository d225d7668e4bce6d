package io.vigia.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * Run as its own process by {@link HostileClientsTest}: opens many connections to a collector that
 * never say anything, then waits until the collector has closed them all. In a child JVM so its
 * sockets do not count against the test JVM's open-file limit, which also holds the collector's.
 *
 * <p>Arguments: source address to bind, collector host, port, connections, deadline in seconds.
 * Prints one line: {@code opened N closed M refused R}.
 */
final class SilentClients {

  private SilentClients() {}

  public static void main(String[] args) throws IOException {
    String from = args[0];
    InetSocketAddress collector = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
    int count = Integer.parseInt(args[3]);
    long deadline = System.nanoTime() + Long.parseLong(args[4]) * 1_000_000_000L;
    int opened = 0;
    int refused = 0;
    int closed = 0;
    ByteBuffer sink = ByteBuffer.allocate(4096);
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < count; i++) {
        SocketChannel ch = SocketChannel.open();
        try {
          ch.bind(new InetSocketAddress(from, 0));
          ch.connect(collector);
          ch.configureBlocking(false);
          ch.register(selector, SelectionKey.OP_READ);
          opened++;
        } catch (IOException e) {
          refused++;
          ch.close();
        }
        // Drain what is already closed, so this process holds few sockets at once.
        if (i % 256 == 0) {
          selector.selectNow();
          closed += drain(selector, sink);
        }
      }
      while (closed < opened && System.nanoTime() < deadline) {
        selector.select(200);
        closed += drain(selector, sink);
      }
    }
    System.out.println("opened " + opened + " closed " + closed + " refused " + refused);
  }

  /** Reads every ready connection; counts and closes those at their end. */
  private static int drain(Selector selector, ByteBuffer sink) {
    int ended = 0;
    Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
    while (ready.hasNext()) {
      SelectionKey key = ready.next();
      ready.remove();
      SocketChannel ch = (SocketChannel) key.channel();
      try {
        int n;
        do {
          sink.clear();
          n = ch.read(sink);
        } while (n > 0);
        if (n < 0) {
          ended++;
          key.cancel();
          ch.close();
        }
      } catch (IOException e) {
        // A reset is the collector closing too.
        ended++;
        key.cancel();
        try {
          ch.close();
        } catch (IOException ignored) {
          // already gone
        }
      }
    }
    return ended;
  }
}
