package io.vigia.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.DiskSample;
import io.vigia.proto.FileSystemSample;
import io.vigia.proto.Frame;
import io.vigia.proto.InterfaceSample;
import io.vigia.proto.MemorySample;
import io.vigia.proto.Snapshot;
import io.vigia.proto.SystemSample;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Old agents (CPU only) and new ones (every family) on the same collector. */
class FamiliesIngestTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private final HostRegistry registry = new HostRegistry(100, InstantSource.fixed(T0));

  private EmbeddedChannel link(String id) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline()
        .addLast(
            new SessionHandler(registry, Duration.ofSeconds(10)), RejectOnErrorHandler.INSTANCE);
    ch.pipeline().fireChannelActive();
    ch.writeInbound(SessionHandlerTest.hello(id, 2));
    ch.readOutbound(); // Welcome
    return ch;
  }

  private static Snapshot.Builder withFamilies(Snapshot.Builder snapshot) {
    return snapshot
        .setMemory(
            MemorySample.newBuilder()
                .setTotalBytes(16L << 30)
                .setAvailableBytes(12L << 30)
                .setCachedBytes(8L << 30)
                .setSwapTotalBytes(2L << 30)
                .setSwapInPagesX100(20))
        .setSystem(
            SystemSample.newBuilder()
                .setLoad1X100(52)
                .setLoad5X100(48)
                .setLoad15X100(40)
                .setUptimeSeconds(86_400)
                .setProcesses(312)
                .setThreads(1_204)
                .setContextSwitchesX100(210_000))
        .addFileSystems(
            FileSystemSample.newBuilder()
                .setMount("/")
                .setDevice("/dev/vda")
                .setType("ext4")
                .setSizeBytes(100)
                .setUsedBytes(40)
                .setFreeBytes(50))
        .addDisks(DiskSample.newBuilder().setDevice("vda").setWriteBytesPerS(1 << 20).setBusy(32))
        .addInterfaces(
            InterfaceSample.newBuilder().setName("eth0").setUp(true).setRxBytesPerS(1_200));
  }

  @Test
  void anOldAgentsCpuOnlySnapshotIsStoredWithNoOtherFamilies() {
    EmbeddedChannel ch = link("old-1");
    try {
      // Exactly what the foundation's agent sends: seq, time, interval, cpu.
      ch.writeInbound(SessionHandlerTest.snapshot(1, 400, 434));

      assertThat(ch.isOpen()).isTrue();
      StoredSample stored = registry.history("old-1", 10).orElseThrow().get(0);
      assertThat(stored.cpu().busy()).isEqualTo(417);
      assertThat(stored.families()).isEqualTo(Families.NONE);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aNewAgentsFamiliesAreStoredAndReadBack() {
    EmbeddedChannel ch = link("new-1");
    try {
      Snapshot cpuOnly = SessionHandlerTest.snapshot(1, 400, 434).getSnapshot();
      ch.writeInbound(Frame.newBuilder().setSnapshot(withFamilies(cpuOnly.toBuilder())).build());

      StoredSample stored = registry.history("new-1", 10).orElseThrow().get(0);
      Families families = stored.families();
      assertThat(stored.cpu().busy()).isEqualTo(417);
      assertThat(families.memory().usedBytes()).isEqualTo(4L << 30);
      assertThat(families.memory().buffersBytes()).isEqualTo(-1); // not sent
      assertThat(families.memory().swapInPagesX100()).isEqualTo(20);
      assertThat(families.memory().swapOutPagesX100()).isEqualTo(-1);
      assertThat(families.system().load1X100()).isEqualTo(52);
      assertThat(families.system().interruptsX100()).isEqualTo(-1);
      assertThat(families.fileSystems().get(0).mount()).isEqualTo("/");
      assertThat(families.disks()).containsExactly(new DiskFigures("vda", -1, 1 << 20, -1, -1, 32));
      assertThat(families.interfaces())
          .containsExactly(new InterfaceFigures("eth0", true, 1_200, -1, -1, -1, -1, -1, -1, -1));
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSnapshotWithoutCpuButWithOtherFamiliesIsStored() {
    EmbeddedChannel ch = link("mem-only");
    try {
      Snapshot.Builder snapshot =
          Snapshot.newBuilder().setSeq(1).setTimeMs(T0.toEpochMilli()).setIntervalMs(1000);
      ch.writeInbound(Frame.newBuilder().setSnapshot(withFamilies(snapshot)).build());

      assertThat(ch.isOpen()).isTrue();
      StoredSample stored = registry.history("mem-only", 10).orElseThrow().get(0);
      assertThat(stored.hasCpu()).isFalse();
      assertThat(stored.families().memory().totalBytes()).isEqualTo(16L << 30);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSnapshotWithNoFiguresAtAllIsRejected() {
    EmbeddedChannel ch = link("empty");
    try {
      ch.writeInbound(
          Frame.newBuilder()
              .setSnapshot(
                  Snapshot.newBuilder().setSeq(1).setTimeMs(T0.toEpochMilli()).setIntervalMs(1000))
              .build());

      Frame error = ch.readOutbound();
      assertThat(error.getError().getMessage()).contains("has no figures");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aDiskBusierThanTheWholeIntervalIsRejectedWithItsName() {
    EmbeddedChannel ch = link("bad");
    try {
      Snapshot.Builder snapshot =
          SessionHandlerTest.snapshot(1, 400, 434).getSnapshot().toBuilder()
              .addDisks(DiskSample.newBuilder().setDevice("sdz").setBusy(1001));
      ch.writeInbound(Frame.newBuilder().setSnapshot(snapshot).build());

      Frame error = ch.readOutbound();
      assertThat(error.getError().getMessage()).contains("sdz").contains("busy");
      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void tooManyDevicesOfOneKindAreRejected() {
    EmbeddedChannel ch = link("many");
    try {
      Snapshot.Builder snapshot =
          SessionHandlerTest.snapshot(1, 400, 434).getSnapshot().toBuilder();
      for (int i = 0; i <= Families.MAX_DEVICES; i++) {
        snapshot.addInterfaces(InterfaceSample.newBuilder().setName("veth" + i));
      }
      ch.writeInbound(Frame.newBuilder().setSnapshot(snapshot).build());

      Frame error = ch.readOutbound();
      assertThat(error.getError().getMessage()).contains("more than 256 devices");
      assertThat(List.of(ch.isOpen())).containsExactly(false);
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
