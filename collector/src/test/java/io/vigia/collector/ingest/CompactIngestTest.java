package io.vigia.collector.ingest;

import static io.vigia.collector.ingest.SessionHandlerTest.helloBody;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.codec.CompactSnapshots;
import io.vigia.codec.FrameCodec;
import io.vigia.codec.Protocol;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.CpuSample;
import io.vigia.proto.DiskSample;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Protocol 2 on the collector's pipeline, fed bytes: the version each kind of agent is answered
 * with, compact snapshots stored as their classic twins are, and the per-link reuse of device
 * names.
 */
class CompactIngestTest {

  private static final long TIME_BASE = 1_790_000_000_000L;

  private final HostRegistry registry =
      new HostRegistry(100, InstantSource.fixed(Instant.ofEpochMilli(TIME_BASE + 60_000)));

  private EmbeddedChannel link() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ChannelPipeline p = ch.pipeline();
    IngestChannelInitializer.installCodec(p, 1 << 20);
    FrameCodec.installLiveness(p, Duration.ofSeconds(30), Duration.ofSeconds(10));
    p.addLast(
        "guard", new LinkGuard(LinkGuards.DEFAULTS, new LinkCounts(10, 10), System::nanoTime));
    p.addLast("session", new SessionHandler(registry, Duration.ofSeconds(10)));
    p.addLast("rejectOnError", RejectOnErrorHandler.INSTANCE);
    p.fireChannelActive();
    return ch;
  }

  /** A Hello as an agent of protocol 2 writes it. */
  private static Frame newHello(String id) {
    return Frame.newBuilder()
        .setHello(
            helloBody(id, 2)
                .setProtocolVersion(Protocol.BASE_VERSION)
                .setMaxProtocolVersion(2)
                .setTimeBaseMs(TIME_BASE))
        .build();
  }

  private static Snapshot classic(long seq, String disk) {
    return Snapshot.newBuilder()
        .setSeq(seq)
        .setTimeMs(TIME_BASE + seq * 1000 + 4)
        .setIntervalMs(1003)
        .setCpu(
            CpuSample.newBuilder()
                .setBusy(417)
                .addCoreBusy(400)
                .addCoreBusy(434)
                .setUser(300)
                .setNice(1)
                .setSystem(100)
                .setIowait(9)
                .setIrq(3)
                .setSoftirq(2)
                .setSteal(11)
                .setIdle(574))
        .addDisks(DiskSample.newBuilder().setDevice(disk).setReadBytesPerS(4096).setBusy(12))
        .setSpoolDropped(2)
        .build();
  }

  private static Frame frame(Snapshot snapshot) {
    return Frame.newBuilder().setSnapshot(snapshot).build();
  }

  private List<StoredSample> stored(String id) {
    return registry.history(id, 100).orElseThrow();
  }

  @Test
  void anAgentOfProtocolTwoIsWelcomedAtTwo() throws Exception {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(WireFrames.framed(newHello("new")));

      assertThat(WireFrames.written(ch).get(0).getWelcome().getProtocolVersion()).isEqualTo(2);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void anAgentOfProtocolOneIsWelcomedAtOneSoItKeepsTheClassicForm() throws Exception {
    EmbeddedChannel ch = link();
    try {
      Hello old = helloBody("old", 2).setProtocolVersion(1).build();
      ch.writeInbound(
          WireFrames.framed(Frame.newBuilder().setHello(old).build(), frame(classic(1, "sda"))));

      assertThat(WireFrames.written(ch))
          .extracting(f -> f.getWelcome().getProtocolVersion(), Frame::hasAck)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(1, false),
              org.assertj.core.groups.Tuple.tuple(0, true));
      assertThat(stored("old")).extracting(StoredSample::seq).containsExactly(1L);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aCompactSnapshotIsStoredAsItsClassicTwin() throws Exception {
    EmbeddedChannel newer = link();
    EmbeddedChannel older = link();
    try {
      Snapshot classic = classic(5, "sda");
      Snapshot compact = CompactSnapshots.compact(classic, TIME_BASE, 1000);
      assertThat(compact.getSerializedSize()).isLessThan(classic.getSerializedSize());

      newer.writeInbound(WireFrames.framed(newHello("twin-a"), frame(compact)));
      older.writeInbound(WireFrames.framed(newHello("twin-b"), frame(classic)));

      StoredSample a = stored("twin-a").get(0);
      StoredSample b = stored("twin-b").get(0);
      assertThat(a).isEqualTo(b);
      assertThat(a.time()).isEqualTo(Instant.ofEpochMilli(TIME_BASE + 5004));
      assertThat(a.intervalMillis()).isEqualTo(1003);
      assertThat(a.cpu().steal()).isEqualTo(11);
      assertThat(a.cpu().idle()).isEqualTo(574);
      assertThat(registry.host("twin-a").orElseThrow().delivery().spoolDropped()).isEqualTo(2);
    } finally {
      newer.finishAndReleaseAll();
      older.finishAndReleaseAll();
    }
  }

  @Test
  void aCompactSnapshotFromAnAgentWithoutTimeBaseIsRejected() throws Exception {
    EmbeddedChannel ch = link();
    try {
      Frame hello = Frame.newBuilder().setHello(helloBody("no-base", 2)).build();
      Snapshot compact = CompactSnapshots.compact(classic(1, "sda"), 0, 1000);

      ch.writeInbound(WireFrames.framed(hello, frame(compact)));

      Frame error = WireFrames.written(ch).get(1);
      assertThat(error.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
      assertThat(error.getError().getMessage()).contains("no time base");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void packedModesShortOfEightAreRejected() throws Exception {
    EmbeddedChannel ch = link();
    try {
      Snapshot compact = CompactSnapshots.compact(classic(1, "sda"), TIME_BASE, 1000);
      Snapshot short7 =
          compact.toBuilder()
              .setCpu(
                  compact.getCpu().toBuilder()
                      .clearModes()
                      .addAllModes(compact.getCpu().getModesList().subList(0, 7)))
              .build();

      ch.writeInbound(WireFrames.framed(newHello("short"), frame(short7)));

      Frame error = WireFrames.written(ch).get(1);
      assertThat(error.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
      assertThat(error.getError().getMessage()).contains("7 values, 8 expected");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aDeviceNameSeenBeforeOnTheLinkIsTheSameStringAndANewOneIsTakenUp() throws Exception {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(
          WireFrames.framed(
              newHello("names"),
              frame(classic(1, "nvme0n1")),
              frame(classic(2, "nvme0n1")),
              frame(classic(3, "sdb"))));

      List<StoredSample> samples = stored("names");
      String first = samples.get(0).families().disks().get(0).device();
      String second = samples.get(1).families().disks().get(0).device();
      assertThat(second).isSameAs(first);
      assertThat(samples.get(2).families().disks().get(0).device()).isEqualTo("sdb");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSnapshotInAFormTheReaderLeavesIsParsedByProtobufAndStored() throws Exception {
    EmbeddedChannel ch = link();
    try {
      // The CPU message twice: protobuf merges the two, the reader leaves that to it.
      Snapshot whole = classic(1, "sda");
      Snapshot first = whole.toBuilder().setCpu(whole.getCpu().toBuilder().clearCoreBusy()).build();
      byte[] secondCpu =
          Snapshot.newBuilder()
              .setCpu(CpuSample.newBuilder().addAllCoreBusy(whole.getCpu().getCoreBusyList()))
              .build()
              .toByteArray();
      byte[] snapshot = concat(first.toByteArray(), secondCpu);
      byte[] frame = concat(new byte[] {3 << 3 | 2, (byte) snapshot.length}, snapshot);

      ch.writeInbound(WireFrames.framed(newHello("merged")));
      ch.writeInbound(Unpooled.buffer().writeInt(frame.length).writeBytes(frame));

      assertThat(stored("merged").get(0).cpu().coreBusy()).containsExactly(400, 434);
      assertThat(stored("merged").get(0).cpu().user()).isEqualTo(300);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void truncatedSnapshotBytesAreAMalformedFrame() throws Exception {
    EmbeddedChannel ch = link();
    try {
      byte[] snapshot = classic(1, "sda").toByteArray();
      // A frame whose snapshot claims one byte more than the frame holds.
      byte[] frame = concat(new byte[] {3 << 3 | 2, (byte) (snapshot.length + 1)}, snapshot);

      ch.writeInbound(WireFrames.framed(newHello("cut")));
      ch.writeInbound(Unpooled.buffer().writeInt(frame.length).writeBytes(frame));

      Frame error = WireFrames.written(ch).get(1);
      assertThat(error.getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSnapshotCutWithinItsOwnBytesIsAMalformedFrame() throws Exception {
    EmbeddedChannel ch = link();
    try {
      byte[] whole = classic(1, "sda").toByteArray();
      // The frame is whole, the snapshot's last field (spool_dropped) lacks its value.
      byte[] snapshot = java.util.Arrays.copyOf(whole, whole.length - 1);
      byte[] frame = concat(new byte[] {3 << 3 | 2, (byte) snapshot.length}, snapshot);

      ch.writeInbound(WireFrames.framed(newHello("cut")));
      ch.writeInbound(Unpooled.buffer().writeInt(frame.length).writeBytes(frame));

      Frame error = WireFrames.written(ch).get(1);
      assertThat(error.getError().getCode()).isEqualTo(ErrorCode.MALFORMED_FRAME);
      assertThat(registry.history("cut", 10).orElseThrow()).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aCompactSnapshotBeforeHelloIsRefused() throws Exception {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(
          WireFrames.framed(frame(CompactSnapshots.compact(classic(1, "sda"), TIME_BASE, 1000))));

      assertThat(WireFrames.written(ch).get(0).getError().getCode())
          .isEqualTo(ErrorCode.HELLO_REQUIRED);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
