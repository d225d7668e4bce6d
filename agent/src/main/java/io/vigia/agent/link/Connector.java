package io.vigia.agent.link;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.vigia.codec.Frames;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a link to a collector up: connects to the one {@link Failover} names, and when a connection
 * fails or a link goes away, schedules the next attempt after the delay it gives. While a welcomed
 * link is on a fallback, checks every {@code primaryCheckEvery} whether the primary accepts a
 * connection, and if so says Goodbye on the fallback so that the next link goes to the primary.
 *
 * <p>The one scheduling point of the link: every attempt and check is a task on {@code loop}, so a
 * test drives it with virtual time.
 *
 * <p>Not thread-safe, except {@link #stop}: confined to the link's event loop.
 */
final class Connector {

  // Under the link's name, as before the split: operators' log filters keep working.
  private static final Logger log = LoggerFactory.getLogger(CollectorLink.class);

  private final Dialer dialer;
  private final Failover failover;
  private final EventExecutor loop;
  private final Duration primaryCheckEvery;
  private final Consumer<Channel> lost;
  private Channel welcomed;
  private ScheduledFuture<?> primaryCheck;
  private volatile boolean stopped;
  // The welcomed link is being closed on purpose and the next should follow at once.
  private boolean again;

  /**
   * @param loop where attempts and checks are scheduled: the links' event loop
   * @param lost told when a welcomed link closes
   */
  Connector(
      Dialer dialer,
      Failover failover,
      EventExecutor loop,
      Duration primaryCheckEvery,
      Consumer<Channel> lost) {
    this.dialer = dialer;
    this.failover = failover;
    this.loop = loop;
    this.primaryCheckEvery = primaryCheckEvery;
    this.lost = lost;
  }

  /** Connects to the target collector, unless stopped. */
  void connect() {
    if (stopped) {
      return;
    }
    InetSocketAddress address = failover.target();
    dialer.link(address).addListener(f -> connected((ChannelFuture) f, address));
  }

  /** The collector the current attempt or link goes to, as configured. */
  InetSocketAddress target() {
    return failover.target();
  }

  /** The collector welcomed the link on {@code channel}. */
  void welcomed(Channel channel) {
    failover.welcomed();
    welcomed = channel;
    if (failover.onFallback()) {
      schedulePrimaryCheck();
    }
  }

  /** The welcomed link is closing on purpose: connect again at once once it has. */
  void again() {
    again = true;
  }

  /** Whether the link that just closed is followed at once by the next ({@link #again}). */
  boolean reconnectingAtOnce() {
    return again;
  }

  /** The collector closed the link because another agent runs with this id. */
  void replaced() {
    failover.replaced();
  }

  /** No attempt or check is made after this; any thread. */
  void stop() {
    stopped = true;
    loop.execute(this::cancelPrimaryCheck);
  }

  private void connected(ChannelFuture future, InetSocketAddress address) {
    if (!future.isSuccess()) {
      if (!failover.roundFailed()) {
        log.warn(
            "Cannot reach the collector at {}: {}; retrying with backoff",
            hostAndPort(address),
            future.cause().getMessage());
      }
      scheduleConnect(failover.failed());
      return;
    }
    Channel channel = future.channel();
    channel.closeFuture().addListener(closed -> disconnected(channel));
  }

  private void disconnected(Channel channel) {
    if (welcomed != channel) {
      // Closed before the handshake completed: that collector is not usable now.
      scheduleConnect(failover.failed());
      return;
    }
    welcomed = null;
    cancelPrimaryCheck();
    lost.accept(channel);
    boolean atOnce = again;
    again = false;
    if (!stopped) {
      // A link that was healthy: start again from the primary.
      Duration delay = failover.lost();
      scheduleConnect(atOnce ? Duration.ZERO : delay);
    }
  }

  private void scheduleConnect(Duration delay) {
    if (!stopped) {
      loop.schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void schedulePrimaryCheck() {
    primaryCheck =
        loop.schedule(this::checkPrimary, primaryCheckEvery.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void cancelPrimaryCheck() {
    if (primaryCheck != null) {
      primaryCheck.cancel(false);
      primaryCheck = null;
    }
  }

  /** While on a fallback: if the primary accepts a connection, move back to it. */
  private void checkPrimary() {
    if (stopped || welcomed == null || !failover.onFallback()) {
      return;
    }
    InetSocketAddress primary = failover.primary();
    dialer
        .probe(primary)
        .addListener(
            (ChannelFuture probe) -> {
              if (!probe.isSuccess()) {
                schedulePrimaryCheck();
                return;
              }
              probe.channel().close();
              Channel current = welcomed;
              if (current != null && !stopped) {
                log.info("The primary collector {} is back; moving to it", hostAndPort(primary));
                current
                    .writeAndFlush(Frames.goodbye("agent moving to its primary collector"))
                    .addListener(ChannelFutureListener.CLOSE);
              }
            });
  }

  static String hostAndPort(Channel channel) {
    return channel.remoteAddress() instanceof InetSocketAddress address
        ? hostAndPort(address)
        : String.valueOf(channel.remoteAddress());
  }

  static String hostAndPort(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }
}
