package io.vigia.bench.loadgen;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.vigia.codec.CompactSnapshots;
import io.vigia.codec.Protocol;
import io.vigia.proto.Frame;
import io.vigia.proto.Goodbye;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated agent: a real protocol client (Hello, Snapshots with sequence numbers, cumulative
 * acks, replay of what is unacked after a reconnect) whose samples are a fixed body plus a fresh
 * {@code seq} and {@code time_ms}. Everything it owns runs on its one event loop, so it needs no
 * locks.
 *
 * <p>Frames are written as ready bytes: the 4-byte length, the {@code Frame.snapshot} tag and
 * length, {@code seq} and {@code time_ms}, then the pre-encoded rest of the {@code Snapshot}
 * (protobuf parsers take fields in any order). That keeps the simulator's own cost per snapshot
 * small, since it shares the machine with the collector it measures.
 */
final class SimAgent {

  /** The most samples kept unacked (the real agent's spool is byte-capped instead). */
  private static final int MAX_SPOOL = 1 << 14;

  private final String id;
  private final EventLoop loop;
  private final LoadGen.Settings settings;
  private final Stats stats;
  private final byte[] body;
  private final byte[] compactBody;
  private final InetSocketAddress local;
  private final byte[] hello;
  private final long timeBase = System.currentTimeMillis();
  private final int intervalMs;

  private Channel channel;
  private boolean welcomed;
  // The collector's Welcome said protocol 2: snapshots go in the compact form, as a real agent's.
  private boolean compact;
  private boolean stopped;
  private boolean sampling;
  private long phaseNanos;
  private int attempts;
  private long nextSeq = 1;
  private long acked;
  private long sent;
  private long storedFrom = 1;
  private long[] created = new long[8];
  private long[] times = new long[8];

  SimAgent(
      String id,
      EventLoop loop,
      LoadGen.Settings settings,
      Stats stats,
      byte[] body,
      InetSocketAddress local,
      long epoch) {
    this.id = id;
    this.loop = loop;
    this.settings = settings;
    this.stats = stats;
    this.body = body;
    this.intervalMs = (int) settings.interval().toMillis();
    this.compactBody = compactBody(body, timeBase, intervalMs);
    this.local = local;
    this.hello =
        Frame.newBuilder()
            .setHello(
                Hello.newBuilder()
                    .setProtocolVersion(Protocol.BASE_VERSION)
                    .setMaxProtocolVersion(Protocol.VERSION)
                    .setTimeBaseMs(timeBase)
                    .setAgentId(id)
                    .setHostname(id)
                    .setOs("Linux (vigia-loadgen)")
                    .setCores(settings.cores())
                    .setAgentVersion("loadgen")
                    .setEpoch(epoch)
                    .setIntervalMs(intervalMs))
            .build()
            .toByteArray();
  }

  String id() {
    return id;
  }

  /**
   * Connects now and, in steady mode, samples every interval from {@code phaseNanos} after its
   * first Welcome: a fleet's agents do not all start together, so the ramp does not pile up spooled
   * samples that no real fleet would have.
   */
  void start(long phaseNanos) {
    this.phaseNanos = phaseNanos;
    loop.execute(this::connect);
  }

  /** No new samples from now on; what is unacked is still delivered. */
  void stop() {
    loop.execute(() -> stopped = true);
  }

  /** Says Goodbye and closes, for the end of the run. */
  void close() {
    loop.execute(
        () -> {
          stopped = true;
          Channel ch = channel;
          channel = null;
          if (ch != null) {
            ch.writeAndFlush(
                    frame(
                        Frame.newBuilder()
                            .setGoodbye(Goodbye.newBuilder().setReason("load generator done"))
                            .build()
                            .toByteArray(),
                        ch))
                .addListener(f -> ch.close());
          }
        });
  }

  /** Samples taken and not acked; read from other threads for progress, so only approximate. */
  long unacked() {
    return nextSeq - 1 - acked;
  }

  long generated() {
    return nextSeq - 1;
  }

  /** The first seq the collector's current incarnation should hold for this agent. */
  long storedFrom() {
    return storedFrom;
  }

  private void connect() {
    if (stopped && unacked() == 0) {
      return;
    }
    new Bootstrap()
        .group(loop)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(
                        new LengthFieldBasedFrameDecoder(
                            Protocol.DEFAULT_MAX_FRAME_BYTES + 4, 0, 4, 0, 4, true))
                    .addLast(new ProtobufDecoder(Frame.getDefaultInstance()))
                    .addLast(new Link());
              }
            })
        .connect(settings.collector(), local)
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                stats.connectFailed(f.cause());
                reconnectLater();
              }
            });
  }

  private void reconnectLater() {
    // As the real agent: 1 s, x1.6, +-20 % jitter, at most 30 s.
    double base = Math.min(30_000, 1000 * Math.pow(1.6, attempts++));
    long delay = (long) (base * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (stopped) {
      return;
    }
    generate();
    pump();
  }

  private void generate() {
    if (unacked() >= MAX_SPOOL) {
      // The oldest unacked sample is given up, as a full spool does.
      acked++;
      stats.spoolDropped();
    }
    if (unacked() + 1 > created.length) {
      grow();
    }
    long seq = nextSeq++;
    int slot = (int) (seq & (created.length - 1));
    created[slot] = System.nanoTime();
    times[slot] = System.currentTimeMillis();
    stats.generated();
  }

  private void grow() {
    int size = created.length * 2;
    long[] c = new long[size];
    long[] t = new long[size];
    for (long seq = acked + 1; seq < nextSeq; seq++) {
      c[(int) (seq & (size - 1))] = created[(int) (seq & (created.length - 1))];
      t[(int) (seq & (size - 1))] = times[(int) (seq & (times.length - 1))];
    }
    created = c;
    times = t;
  }

  /** Sends what the window allows; in flood mode, first samples to fill it. */
  private void pump() {
    Channel ch = channel;
    if (!welcomed || ch == null) {
      return;
    }
    int window = settings.window();
    if (settings.flood() && !stopped) {
      while (nextSeq - 1 - acked < window) {
        generate();
      }
    }
    boolean wrote = false;
    while (sent < nextSeq - 1 && sent - acked < window && ch.isWritable()) {
      long seq = ++sent;
      ch.write(snapshot(seq, ch), ch.voidPromise());
      wrote = true;
    }
    if (wrote) {
      ch.flush();
    }
  }

  private ByteBuf snapshot(long seq, Channel ch) {
    long timeMs = times[(int) (seq & (times.length - 1))];
    ByteBuf buf;
    if (compact) {
      long skew = CompactSnapshots.timeSkew(timeMs, timeBase, seq, intervalMs);
      buf = ch.alloc().buffer(frameBytes(seq, TIME_SKEW_TAG, zigZag(skew), compactBody));
      writeSnapshot(buf, seq, TIME_SKEW_TAG, zigZag(skew), compactBody);
    } else {
      buf = ch.alloc().buffer(frameBytes(seq, timeMs, body));
      writeSnapshot(buf, seq, timeMs, body);
    }
    stats.sent();
    return buf;
  }

  private static final int TIME_TAG = 2 << 3; // Snapshot.time_ms, varint
  private static final int TIME_SKEW_TAG = 5 << 3; // Snapshot.time_skew_ms, zigzag varint

  /**
   * The compact body of protocol 2 for a classic {@code body} (an encoded Snapshot without seq and
   * time): CPU modes packed, interval as a skew from the Hello's; {@code time_skew_ms} goes in
   * front of it per snapshot.
   */
  static byte[] compactBody(byte[] body, long timeBase, int intervalMs) {
    try {
      Snapshot classic = Snapshot.parseFrom(body).toBuilder().setSeq(1).setTimeMs(timeBase).build();
      return CompactSnapshots.compact(classic, timeBase, intervalMs).toBuilder()
          .clearSeq()
          .clearTimeSkewMs()
          .build()
          .toByteArray();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not a Snapshot", e);
    }
  }

  private static long zigZag(long value) {
    return (value << 1) ^ (value >> 63);
  }

  /** The bytes {@link #writeSnapshot} writes, length prefix included. */
  static int frameBytes(long seq, long timeMs, byte[] body) {
    return frameBytes(seq, TIME_TAG, timeMs, body);
  }

  private static int frameBytes(long seq, int timeTag, long time, byte[] body) {
    int snapshotLength = snapshotLength(seq, time, body);
    return 4 + 1 + CodedOutputStream.computeUInt32SizeNoTag(snapshotLength) + snapshotLength;
  }

  private static int snapshotLength(long seq, long time, byte[] body) {
    return 1
        + CodedOutputStream.computeUInt64SizeNoTag(seq)
        + 1
        + CodedOutputStream.computeUInt64SizeNoTag(time)
        + body.length;
  }

  /**
   * Writes one length-prefixed {@code Frame} holding a {@code Snapshot}: {@code body} (an encoded
   * Snapshot without seq and time) with {@code seq} and {@code time_ms} in front.
   */
  static void writeSnapshot(ByteBuf buf, long seq, long timeMs, byte[] body) {
    writeSnapshot(buf, seq, TIME_TAG, timeMs, body);
  }

  /**
   * Writes one length-prefixed {@code Frame} holding a {@code Snapshot}: {@code seq}, then the time
   * field {@code timeTag} with the varint {@code time} (time_ms, or the zigzag time_skew_ms of a
   * compact snapshot), then {@code body}.
   */
  static void writeSnapshot(ByteBuf buf, long seq, int timeTag, long time, byte[] body) {
    int snapshotLength = snapshotLength(seq, time, body);
    buf.writeInt(1 + CodedOutputStream.computeUInt32SizeNoTag(snapshotLength) + snapshotLength);
    buf.writeByte(3 << 3 | 2); // Frame.snapshot, length-delimited
    writeVarint(buf, snapshotLength);
    buf.writeByte(1 << 3); // Snapshot.seq, varint
    writeVarint(buf, seq);
    buf.writeByte(timeTag);
    writeVarint(buf, time);
    buf.writeBytes(body);
  }

  private static void writeVarint(ByteBuf buf, long value) {
    while ((value & ~0x7FL) != 0) {
      buf.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    buf.writeByte((int) value);
  }

  private static ByteBuf frame(byte[] bytes, Channel ch) {
    ByteBuf buf = ch.alloc().buffer(4 + bytes.length);
    buf.writeInt(bytes.length);
    buf.writeBytes(bytes);
    return buf;
  }

  private void onWelcome(long lastStored) {
    attempts = 0;
    welcomed = true;
    stats.welcomed();
    if (!sampling && !settings.flood()) {
      sampling = true;
      long interval = settings.interval().toNanos();
      loop.scheduleAtFixedRate(this::tick, phaseNanos, interval, TimeUnit.NANOSECONDS);
    }
    if (lastStored < acked) {
      // A collector that restarted holds nothing of what it acked before; from here on it holds
      // what is unacked now, which this agent replays.
      storedFrom = acked + 1;
    } else if (lastStored > acked) {
      ackUpTo(Math.min(lastStored, nextSeq - 1));
    }
    sent = acked;
    pump();
  }

  private void ackUpTo(long seq) {
    long now = System.nanoTime();
    for (long s = acked + 1; s <= seq; s++) {
      stats.acked(now - created[(int) (s & (created.length - 1))]);
    }
    acked = Math.max(acked, seq);
    sent = Math.max(sent, acked);
  }

  /** The handler of one link. */
  private final class Link extends SimpleChannelInboundHandler<Frame> {

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      ctx.writeAndFlush(frame(hello, ctx.channel()), ctx.voidPromise());
      ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
      switch (frame.getBodyCase()) {
        case WELCOME -> {
          compact = frame.getWelcome().getProtocolVersion() >= Protocol.COMPACT_VERSION;
          onWelcome(frame.getWelcome().getLastStoredSeq());
        }
        case ACK -> {
          ackUpTo(Math.min(frame.getAck().getSeq(), nextSeq - 1));
          pump();
        }
        case ERROR -> stats.error(id, frame.getError().getCode(), frame.getError().getMessage());
        case GOODBYE -> stats.goodbye();
        default -> {}
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        pump();
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (channel == ctx.channel()) {
        channel = null;
        if (welcomed) {
          stats.linkDown();
        }
        welcomed = false;
        sent = acked;
        reconnectLater();
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      stats.linkError(cause);
      ctx.close();
    }
  }
}
