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
import io.vigia.collector.store.Store;
import io.vigia.proto.Ack;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Snapshot;
import io.vigia.proto.Welcome;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent link, from {@code Hello} to close: the handshake (which must come first, and within the
 * deadline), then snapshots into the {@link HostRegistry} with cumulative acks, then {@code LEFT}
 * or {@code LOST} when the link closes. One instance per connection.
 *
 * <p>Every change it makes to the registry is also appended to the {@link Store}, under the host's
 * lock so the log keeps the registry's order; the {@code Welcome} (whose last stored sequence is an
 * ack too) and every ack leave only once the store says what they cover is durable.
 */
final class SessionHandler extends SimpleChannelInboundHandler<Object> {

  private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
  private static final AtomicLong LINK_IDS = new AtomicLong();
  private static final RateLimitedLog REJECTIONS = new RateLimitedLog(log);
  // Per host: one line per host every 10 s at most, with the count of lines left out.
  private static final RateLimitedLog DROPS = new RateLimitedLog(log);
  private static final RateLimitedLog REFUSALS = new RateLimitedLog(log);
  private static final String STORE_UNAVAILABLE =
      "the collector cannot write samples to its disk now; keep them and retry later";

  private final HostRegistry registry;
  private final Duration helloTimeout;
  private final Duration heartbeatEvery;
  private final LinkGuards guards;
  private final Store store;
  private final InputChecks checks;
  // Appends the sample being stored to the store, under the host's lock; null in memory.
  private final Runnable journalSample;
  private StoredSample journaling;
  private ByteBuffer journalingBytes;
  private byte[] hostIdUtf8;
  private final long linkId = LINK_IDS.incrementAndGet();
  private ScheduledFuture<?> helloDeadline;
  private HostIdentity identity;
  private long timeBase;
  // Scratch of the snapshot being read, reused: snapshots build no messages (see SnapshotReader).
  private final RawSnapshot raw = new RawSnapshot();
  private final SnapshotReader reader = new SnapshotReader();
  private boolean saidGoodbye;
  private long storedUpTo;
  // The highest sequence whose ack waits for the store, and the highest acked.
  private long ackRequested;
  private long ackedUpTo;
  // The agent's count of dropped samples last logged (or known at connect).
  private long reportedDropped;

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
    this(registry, helloTimeout, heartbeatEvery, guards, Store.IN_MEMORY);
  }

  /**
   * @param store where every change is logged before it is acknowledged
   */
  SessionHandler(
      HostRegistry registry,
      Duration helloTimeout,
      Duration heartbeatEvery,
      LinkGuards guards,
      Store store) {
    this(registry, helloTimeout, heartbeatEvery, guards, store, InputRules.DEFAULTS, null);
  }

  /**
   * @param rules the window of sample times accepted
   * @param clock the collector's clock, which that window is around; null for the registry's
   */
  SessionHandler(
      HostRegistry registry,
      Duration helloTimeout,
      Duration heartbeatEvery,
      LinkGuards guards,
      Store store,
      InputRules rules,
      InstantSource clock) {
    this.checks = new InputChecks(rules, clock != null ? clock : registry.clock());
    this.registry = registry;
    this.helloTimeout = helloTimeout;
    this.heartbeatEvery = heartbeatEvery;
    this.guards = guards;
    this.store = store;
    this.journalSample = store.durable() ? this::journalSample : null;
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
      case SNAPSHOT ->
          store(
              ctx,
              RawSnapshot.from(frame.getSnapshot(), raw),
              journalSample == null
                  ? null
                  : frame.getSnapshot().toByteString().asReadOnlyByteBuffer());
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
    String insane = InputChecks.hello(frame.getHello());
    if (insane != null) {
      reject(ctx, ErrorCode.INVALID_MESSAGE, "bad Hello: " + insane);
      return;
    }
    if (!store.accepting()) {
      reject(ctx, ErrorCode.STORE_UNAVAILABLE, STORE_UNAVAILABLE);
      return;
    }
    helloDeadline.cancel(false);
    identity = hello;
    hostIdUtf8 = hello.id().getBytes(StandardCharsets.UTF_8);
    timeBase = frame.getHello().getTimeBaseMs();
    String from = address(ctx.channel().remoteAddress());
    String id = identity.id();
    // The token stays out of the log.
    ByteBuffer helloBytes =
        store.durable()
            ? frame.getHello().toBuilder()
                .clearToken()
                .build()
                .toByteString()
                .asReadOnlyByteBuffer()
            : null;
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
                                    + "' took over; closing this one")),
            at -> store.hello(id, at.toEpochMilli(), from, helloBytes));
    storedUpTo = connected.lastStoredSeq();
    reportedDropped =
        registry
            .host(id)
            .filter(host -> host.identity().epoch() == identity.epoch())
            .map(host -> host.delivery().spoolDropped())
            .orElse(0L);
    ackRequested = storedUpTo;
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
    Frame welcomeFrame = Frame.newBuilder().setWelcome(welcome).build();
    // The Welcome's last stored sequence releases the agent's spool like an ack: it waits until
    // every sample it covers (and this link's Hello) is durable.
    store.whenDurable(
        ctx.executor(),
        () -> {
          if (ctx.channel().isActive()) {
            ctx.writeAndFlush(welcomeFrame)
                .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
          }
        });
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
    store(ctx, raw, journalSample == null ? null : bytes.nioBuffer());
  }

  /**
   * @param encoded the snapshot's bytes, for the store (null in memory)
   */
  private void store(ChannelHandlerContext ctx, RawSnapshot snapshot, ByteBuffer encoded) {
    InputChecks.Refusal refusal = checks.sample(snapshot, identity, timeBase);
    if (refusal != null) {
      refuse(ctx, snapshot.seq, refusal);
      return;
    }
    StoredSample sample;
    try {
      sample = FrameMapper.sample(snapshot, identity, timeBase);
    } catch (InvalidMessageException e) {
      reject(ctx, ErrorCode.INVALID_MESSAGE, e.getMessage());
      return;
    }
    if (journalSample != null && !store.accepting()) {
      reject(ctx, ErrorCode.STORE_UNAVAILABLE, STORE_UNAVAILABLE);
      return;
    }
    journaling = sample;
    journalingBytes = encoded;
    // A replay of a stored sample is not stored twice; it is already covered by storedUpTo.
    if (registry.append(linkId, identity.id(), sample, snapshot.spoolDropped, journalSample)) {
      storedUpTo = Math.max(storedUpTo, sample.seq());
    }
    checks.stored(sample.seq(), sample.time().toEpochMilli());
    if (snapshot.spoolDropped > reportedDropped) {
      DROPS.warn(
          identity.id(),
          "Agent "
              + identity.id()
              + " dropped "
              + (snapshot.spoolDropped - reportedDropped)
              + " samples it could not keep (its spool was full, or a record on its disk was"
              + " damaged); "
              + snapshot.spoolDropped
              + " in this run");
      reportedDropped = snapshot.spoolDropped;
    }
    journalingBytes = null;
  }

  /**
   * Refuses one snapshot: with its link, or alone, acknowledged as refused (once what comes before
   * it is durable) so that the agent drops it rather than send it again.
   */
  private void refuse(ChannelHandlerContext ctx, long seq, InputChecks.Refusal refusal) {
    if (refusal.closeLink()) {
      reject(ctx, ErrorCode.INVALID_MESSAGE, refusal.message());
      return;
    }
    REFUSALS.warn(
        refusal.reason().name(),
        "Refused a sample of agent " + identity.id() + ": " + refusal.message());
    long settled = Math.max(storedUpTo, seq);
    storedUpTo = settled;
    ackRequested = Math.max(ackRequested, settled);
    Frame ack =
        Frame.newBuilder()
            .setAck(
                Ack.newBuilder()
                    .setSeq(settled)
                    .setRefused(refusal.reason())
                    .setRefusedMessage(refusal.message()))
            .build();
    store.whenDurable(
        ctx.executor(),
        () -> {
          // Written even on a closed link, so that the refusal is counted on its way out.
          ackedUpTo = Math.max(ackedUpTo, settled);
          ctx.writeAndFlush(ack);
        });
  }

  private void journalSample() {
    store.sample(hostIdUtf8, journaling.epoch(), journaling.time().toEpochMilli(), journalingBytes);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    // One cumulative ack per batch of reads, however many snapshots it held, once they are
    // durable (at once in memory).
    if (storedUpTo > ackRequested && ctx.channel().isActive()) {
      long seq = storedUpTo;
      ackRequested = seq;
      store.whenDurable(ctx.executor(), () -> ack(ctx, seq));
    }
    ctx.fireChannelReadComplete();
  }

  private void ack(ChannelHandlerContext ctx, long seq) {
    if (seq > ackedUpTo && ctx.channel().isActive()) {
      ackedUpTo = seq;
      ctx.writeAndFlush(Frames.ack(seq), ctx.voidPromise());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (helloDeadline != null) {
      helloDeadline.cancel(false);
    }
    if (identity != null) {
      String id = identity.id();
      registry
          .disconnect(linkId, id, saidGoodbye, at -> store.link(id, saidGoodbye, at.toEpochMilli()))
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
