package io.vigia.collector.ingest;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.vigia.codec.Frames;
import io.vigia.codec.SnapshotBytes;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/**
 * Lets a link through only within the collector's limits: the link count in total and per source
 * address when it opens, the fleet token in its {@code Hello}, and its snapshot rate, a token
 * bucket of {@link LinkGuards#snapshotBurst} refilled at {@link LinkGuards#snapshotsPerSecond}.
 * Over a limit, the link gets an {@code Error} saying which and is closed; nothing it sends after
 * that reaches the session. One instance per link, before the session.
 */
final class LinkGuard extends ChannelInboundHandlerAdapter {

  static final RateLimitedLog LOG = new RateLimitedLog(LoggerFactory.getLogger(LinkGuard.class));

  private final LinkGuards guards;
  private final LinkCounts counts;
  private final LongSupplier nanoTime;
  private InetAddress counted;
  private boolean helloSeen;
  private boolean rejected;
  private double tokens;
  private long refilledAt;

  LinkGuard(LinkGuards guards, LinkCounts counts, LongSupplier nanoTime) {
    this.guards = guards;
    this.counts = counts;
    this.nanoTime = nanoTime;
    this.tokens = guards.snapshotBurst();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress address =
        ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
    if (address != null) {
      ErrorCode refused = counts.admit(address);
      if (refused == ErrorCode.TOO_MANY_LINKS) {
        reject(ctx, refused, "the collector holds its maximum of " + counts.maxLinks() + " links");
        return;
      }
      if (refused != null) {
        reject(
            ctx,
            refused,
            "too many links from "
                + address.getHostAddress()
                + " (at most "
                + counts.maxPerAddress()
                + ")");
        return;
      }
      counted = address;
    }
    refilledAt = nanoTime.getAsLong();
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (counted != null) {
      counts.release(counted);
      counted = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (rejected) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof SnapshotBytes && !takeToken()) {
      // Its size limits are checked where it is read, in the session.
      ReferenceCountUtil.release(msg);
      rejectRate(ctx);
      return;
    }
    if (msg instanceof Frame frame) {
      if (!helloSeen && frame.hasHello()) {
        if (guards.tokenRequired() && !guards.tokenMatches(frame.getHello().getToken())) {
          reject(
              ctx,
              ErrorCode.BAD_TOKEN,
              frame.getHello().getToken().isEmpty()
                  ? "this collector requires a token and the Hello carries none (--token-file)"
                  : "wrong token (compare the agent's --token-file with the collector's)");
          return;
        }
        String tooLarge = tooLarge(frame.getHello());
        if (tooLarge != null) {
          reject(ctx, ErrorCode.INVALID_MESSAGE, "bad Hello: " + tooLarge);
          return;
        }
        helloSeen = true;
      } else if (frame.hasSnapshot() && tooLarge(frame.getSnapshot()) != null) {
        reject(ctx, ErrorCode.INVALID_MESSAGE, tooLarge(frame.getSnapshot()));
        return;
      } else if (frame.hasSnapshot() && !takeToken()) {
        rejectRate(ctx);
        return;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** What in the Hello exceeds this collector's limits, or null. */
  private String tooLarge(Hello hello) {
    if (Integer.toUnsignedLong(hello.getCores()) > guards.maxCores()) {
      return Integer.toUnsignedString(hello.getCores())
          + " cores; this collector accepts at most "
          + guards.maxCores()
          + " (--max-cores)";
    }
    for (String text : new String[] {hello.getHostname(), hello.getOs(), hello.getAgentVersion()}) {
      if (text.length() > guards.maxTextLength()) {
        return "a text of "
            + text.length()
            + " characters; this collector accepts at most "
            + guards.maxTextLength()
            + " (--max-text-length)";
      }
    }
    return null;
  }

  /** What in the snapshot exceeds this collector's limits, or null. */
  private String tooLarge(Snapshot snapshot) {
    return tooLarge(
        guards,
        snapshot.getSeq(),
        snapshot.getCpu().getCoreBusyCount(),
        Math.max(
            snapshot.getFileSystemsCount(),
            Math.max(snapshot.getDisksCount(), snapshot.getInterfacesCount())));
  }

  /**
   * What exceeds {@code guards}' limits in snapshot {@code seq}, which has {@code cores} core
   * figures and at most {@code devices} devices of one kind; null if nothing.
   */
  static String tooLarge(LinkGuards guards, long seq, int cores, int devices) {
    if (cores > guards.maxCores()) {
      return "snapshot "
          + seq
          + " has "
          + cores
          + " cores; this collector accepts at most "
          + guards.maxCores()
          + " (--max-cores)";
    }
    if (devices > guards.maxDevices()) {
      return "snapshot "
          + seq
          + " has "
          + devices
          + " devices of one kind; this collector accepts at most "
          + guards.maxDevices()
          + " (--max-devices)";
    }
    return null;
  }

  private void rejectRate(ChannelHandlerContext ctx) {
    reject(
        ctx,
        ErrorCode.RATE_EXCEEDED,
        "more than "
            + guards.snapshotBurst()
            + " snapshots at once, or over "
            + guards.snapshotsPerSecond()
            + " a second");
  }

  private boolean takeToken() {
    long now = nanoTime.getAsLong();
    double elapsedSeconds = (now - refilledAt) / (double) TimeUnit.SECONDS.toNanos(1);
    refilledAt = now;
    tokens =
        Math.min(guards.snapshotBurst(), tokens + elapsedSeconds * guards.snapshotsPerSecond());
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }

  private void reject(ChannelHandlerContext ctx, ErrorCode code, String message) {
    rejected = true;
    LOG.warn(
        code.name(),
        "Rejecting the link from "
            + SessionHandler.address(ctx.channel().remoteAddress())
            + ": "
            + message);
    ctx.writeAndFlush(Frames.error(code, message)).addListener(ChannelFutureListener.CLOSE);
  }
}
