package io.vigia.collector.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.vigia.codec.Frames;
import io.vigia.codec.Protocol;
import io.vigia.codec.SnapshotBytes;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Snapshot;
import io.vigia.proto.Welcome;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent link, from {@code Hello} to close: the handshake (which must come first, and within the
 * deadline), then snapshots into the {@link HostRegistry} with cumulative acks, then {@code LEFT}
 * or {@code LOST} when the link closes. One instance per connection.
 */
final class SessionHandler extends SimpleChannelInboundHandler<Object> {

  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
  private static final AtomicLong LINK_IDS = new AtomicLong();
  private static final RateLimitedLog REJECTIONS = new RateLimitedLog(log);

  private final HostRegistry registry;
  private final Duration helloTimeout;
  private final Duration heartbeatEvery;
  private final LinkGuards guards;
  private final long linkId = LINK_IDS.incrementAndGet();
  private ScheduledFuture<?> helloDeadline;
  private HostIdentity identity;
  private long timeBase;
  // Scratch of the snapshot being read, reused: snapshots build no messages (see SnapshotReader).
  private final RawSnapshot raw = new RawSnapshot();
  private final SnapshotReader reader = new SnapshotReader();
  private boolean saidGoodbye;
  private long storedUpTo;
  private long ackedUpTo;

  SessionHandler(HostRegistry registry, Duration helloTimeout) {
    this(registry, helloTimeout, Duration.ZERO);
  }

  /**
   * @param heartbeatEvery the collector's heartbeat period on an idle link, told to the agent
   */
  SessionHandler(HostRegistry registry, Duration helloTimeout, Duration heartbeatEvery) {
    this(registry, helloTimeout, heartbeatEvery, null);
  }

  /**
   * @param guards the link's limits, told to the agent in {@code Welcome} so it paces a replay
   *     below them; null when none are enforced
   */
  SessionHandler(
      HostRegistry registry, Duration helloTimeout, Duration heartbeatEvery, LinkGuards guards) {
    this.registry = registry;
    this.helloTimeout = helloTimeout;
    this.heartbeatEvery = heartbeatEvery;
    this.guards = guards;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    helloDeadline =
        ctx.executor()
            .schedule(
                () -> reject(ctx, ErrorCode.HELLO_TIMEOUT, "no Hello within " + helloTimeout),
                helloTimeout.toNanos(),
                TimeUnit.NANOSECONDS);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof SnapshotBytes bytes) {
      onSnapshot(ctx, bytes.content());
    } else if (msg instanceof Frame frame) {
      onFrame(ctx, frame);
    } else {
      ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
    }
  }

  private void onFrame(ChannelHandlerContext ctx, Frame frame) {
    if (identity == null) {
      if (frame.hasHello()) {
        onHello(ctx, frame);
      } else {
        reject(
            ctx,
            ErrorCode.HELLO_REQUIRED,
            "the first frame must be Hello, not " + frame.getBodyCase());
      }
      return;
    }
    switch (frame.getBodyCase()) {
      case SNAPSHOT -> store(ctx, RawSnapshot.from(frame.getSnapshot(), raw));
      case GOODBYE -> {
        saidGoodbye = true;
        ctx.close();
      }
      case HELLO -> reject(ctx, ErrorCode.INVALID_MESSAGE, "Hello sent twice on one link");
      case ERROR -> {
        log.warn(
            "Agent {} reports an error and closes: {} ({})",
            identity.id(),
            frame.getError().getMessage(),
            frame.getError().getCode());
        ctx.close();
      }
      default -> log.debug("Ignoring a {} frame from agent {}", frame.getBodyCase(), identity.id());
    }
  }

  private void onHello(ChannelHandlerContext ctx, Frame frame) {
    int version = frame.getHello().getProtocolVersion();
    if (version < Protocol.BASE_VERSION || version > Protocol.VERSION) {
      reject(
          ctx,
          ErrorCode.UNSUPPORTED_VERSION,
          "protocol version "
              + Integer.toUnsignedString(version)
              + " is not supported; this collector speaks "
              + Protocol.BASE_VERSION
              + " to "
              + Protocol.VERSION);
      return;
    }
    // The link runs at the newest version both speak; an agent of version 1 names no newer one.
    int linkVersion =
        Math.min(
            Protocol.VERSION,
            Math.max(version, Math.max(0, frame.getHello().getMaxProtocolVersion())));
    HostIdentity hello;
    try {
      hello = FrameMapper.identity(frame.getHello());
    } catch (InvalidMessageException e) {
      reject(ctx, ErrorCode.INVALID_MESSAGE, "bad Hello: " + e.getMessage());
      return;
    }
    helloDeadline.cancel(false);
    identity = hello;
    timeBase = frame.getHello().getTimeBaseMs();
    String from = address(ctx.channel().remoteAddress());
    String id = identity.id();
    HostRegistry.Connected connected =
        registry.connect(
            linkId,
            identity,
            from,
            () ->
                ctx.executor()
                    .execute(
                        () ->
                            closeWithError(
                                ctx,
                                ErrorCode.REPLACED,
                                "a newer link for agent id '"
                                    + id
                                    + "' took over; closing this one")));
    storedUpTo = connected.lastStoredSeq();
    ackedUpTo = storedUpTo;
    if (connected.replacedAddress() == null) {
      log.info(
          "Agent {} ({}, {} cores) connected from {}; {} connected",
          id,
          identity.hostname(),
          identity.cores(),
          from,
          hosts(connected.connectedHosts()));
    } else {
      log.warn(
          "Agent {} connected from {} while its link from {} was still open; the new link"
              + " replaces the old one (two agents with the same --id?); {} connected",
          id,
          from,
          connected.replacedAddress(),
          hosts(connected.connectedHosts()));
    }
    Welcome.Builder welcome =
        Welcome.newBuilder()
            .setSessionId(Long.toString(linkId))
            .setLastStoredSeq(storedUpTo)
            .setProtocolVersion(linkVersion)
            .setHeartbeatMs((int) heartbeatEvery.toMillis());
    if (guards != null) {
      welcome
          .setMaxSnapshotsPerSecond(guards.snapshotsPerSecond())
          .setSnapshotBurst(guards.snapshotBurst());
    }
    ctx.writeAndFlush(Frame.newBuilder().setWelcome(welcome).build())
        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
  }

  /** A frame that holds only a snapshot, still encoded (see {@link IngestFrameDecoder}). */
  private void onSnapshot(ChannelHandlerContext ctx, ByteBuf bytes) {
    if (identity == null) {
      reject(ctx, ErrorCode.HELLO_REQUIRED, "the first frame must be Hello, not SNAPSHOT");
      return;
    }
    if (!reader.read(bytes, bytes.readerIndex(), bytes.writerIndex(), raw)) {
      // An encoding the fast reader leaves to protobuf, which also judges malformed bytes.
      try {
        RawSnapshot.from(Snapshot.parser().parseFrom(bytes.nioBuffer()), raw);
      } catch (InvalidProtocolBufferException e) {
        throw new DecoderException(e);
      }
    }
    // The limits LinkGuard checks on parsed snapshots; these it could not see.
    String tooLarge =
        LinkGuard.tooLarge(
            guards == null ? LinkGuards.DEFAULTS : guards,
            raw.seq,
            raw.coreCount,
            Math.max(raw.fileSystemCount, Math.max(raw.diskCount, raw.interfaceCount)));
    if (tooLarge != null) {
      LinkGuard.LOG.warn(
          ErrorCode.INVALID_MESSAGE.name(),
          "Rejecting the link from " + address(ctx.channel().remoteAddress()) + ": " + tooLarge);
      closeWithError(ctx, ErrorCode.INVALID_MESSAGE, tooLarge);
      return;
    }
    store(ctx, raw);
  }

  private void store(ChannelHandlerContext ctx, RawSnapshot snapshot) {
    StoredSample sample;
    try {
      sample = FrameMapper.sample(snapshot, identity, timeBase);
    } catch (InvalidMessageException e) {
      reject(ctx, ErrorCode.INVALID_MESSAGE, e.getMessage());
      return;
    }
    // A replay of a stored sample is not stored twice; it is already covered by storedUpTo.
    if (registry.append(linkId, identity.id(), sample, snapshot.spoolDropped)) {
      storedUpTo = Math.max(storedUpTo, sample.seq());
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // One cumulative ack per batch of reads, however many snapshots it held.
    if (storedUpTo > ackedUpTo && ctx.channel().isActive()) {
      ackedUpTo = storedUpTo;
      ctx.writeAndFlush(Frames.ack(ackedUpTo), ctx.voidPromise());
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (helloDeadline != null) {
      helloDeadline.cancel(false);
    }
    if (identity != null) {
      registry
          .disconnect(linkId, identity.id(), saidGoodbye)
          .ifPresent(
              stillConnected ->
                  log.info(
                      "Agent {} {}; {} connected",
                      identity.id(),
                      saidGoodbye ? "left (said Goodbye)" : "lost (link closed without Goodbye)",
                      hosts(stillConnected)));
    }
    ctx.fireChannelInactive();
  }

  private void reject(ChannelHandlerContext ctx, ErrorCode code, String message) {
    REJECTIONS.warn(
        code.name(),
        "Rejecting the link from " + address(ctx.channel().remoteAddress()) + ": " + message);
    closeWithError(ctx, code, message);
  }

  private static void closeWithError(ChannelHandlerContext ctx, ErrorCode code, String message) {
    ctx.writeAndFlush(Frames.error(code, message)).addListener(ChannelFutureListener.CLOSE);
  }

  private static String hosts(int count) {
    return count == 1 ? "1 host" : count + " hosts";
  }

  static String address(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getAddress() != null
          ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
          : inet.getHostString() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
