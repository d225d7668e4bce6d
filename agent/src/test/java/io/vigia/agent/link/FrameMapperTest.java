package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigia.agent.sampling.CpuUsage;
import io.vigia.agent.sampling.Sample;
import io.vigia.codec.Protocol;
import io.vigia.proto.CpuSample;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FrameMapperTest {

  private static final Instant TAKEN = Instant.parse("2026-01-01T00:00:05.123Z");

  // Modes in CpuMode order: user, nice, system, idle, iowait, irq, softirq, steal.
  private static final CpuUsage USAGE =
      new CpuUsage(
          375,
          new int[] {500, 250, 1000, 0},
          new int[] {201, 3, 150, 520, 100, 11, 9, 6},
          Duration.ofMillis(5003));

  private static final AgentIdentity IDENTITY =
      new AgentIdentity(
          "web-01-3d1219c7",
          "web-01.example.org",
          "Debian GNU/Linux 12 (bookworm) 6.1",
          16,
          "0.1.0",
          8_237_461_923_004_117L,
          Duration.ofSeconds(5));

  @Test
  void snapshotCarriesSeqTimeAndInterval() {
    Snapshot snapshot =
        FrameMapper.snapshot(new Sample(42, TAKEN, Duration.ofMillis(5003), USAGE)).getSnapshot();

    assertThat(snapshot.getSeq()).isEqualTo(42);
    assertThat(snapshot.getTimeMs()).isEqualTo(TAKEN.toEpochMilli());
    assertThat(snapshot.getIntervalMs()).isEqualTo(5003);
  }

  @Test
  void snapshotIntervalIsWhatTheCpuFiguresCoverAfterAMissedReading() {
    CpuUsage overTwoRounds =
        new CpuUsage(USAGE.busy(), USAGE.coreBusy(), USAGE.modes(), Duration.ofMillis(10_004));

    Snapshot snapshot =
        FrameMapper.snapshot(new Sample(43, TAKEN, Duration.ofMillis(5001), overTwoRounds))
            .getSnapshot();

    assertThat(snapshot.getIntervalMs()).isEqualTo(10_004);
  }

  @Test
  void helloIntervalOfMoreThanIntMillisIsClampedNotAnError() {
    AgentIdentity slow = new AgentIdentity("slow", "h", "os", 1, "v", 1, Duration.ofDays(40));

    assertThat(FrameMapper.hello(slow, "").getHello().getIntervalMs()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void snapshotCarriesBusyPerCoreBusyAndEveryMode() {
    CpuSample cpu =
        FrameMapper.snapshot(new Sample(42, TAKEN, Duration.ofMillis(5003), USAGE))
            .getSnapshot()
            .getCpu();

    assertThat(cpu)
        .isEqualTo(
            CpuSample.newBuilder()
                .setBusy(375)
                .addCoreBusy(500)
                .addCoreBusy(250)
                .addCoreBusy(1000)
                .addCoreBusy(0)
                .setUser(201)
                .setNice(3)
                .setSystem(150)
                .setIdle(520)
                .setIowait(100)
                .setIrq(11)
                .setSoftirq(9)
                .setSteal(6)
                .build());
  }

  @Test
  void sampleWithoutCpuMapsToSnapshotWithoutCpu() {
    Snapshot snapshot =
        FrameMapper.snapshot(new Sample(1, TAKEN, Duration.ofSeconds(5), null)).getSnapshot();

    assertThat(snapshot.hasCpu()).isFalse();
  }

  @Test
  void helloCarriesProtocolVersionIdentityEpochIntervalAndToken() {
    Hello hello = FrameMapper.hello(IDENTITY, "s3cret", 1_767_225_600_000L).getHello();

    assertThat(hello)
        .isEqualTo(
            Hello.newBuilder()
                // 1, which every collector accepts; the newest version apart.
                .setProtocolVersion(1)
                .setMaxProtocolVersion(Protocol.VERSION)
                .setTimeBaseMs(1_767_225_600_000L)
                .setAgentId("web-01-3d1219c7")
                .setHostname("web-01.example.org")
                .setOs("Debian GNU/Linux 12 (bookworm) 6.1")
                .setCores(16)
                .setAgentVersion("0.1.0")
                .setEpoch(8_237_461_923_004_117L)
                .setToken("s3cret")
                .setIntervalMs(5000)
                .build());
  }

  private static final Hello HELLO =
      FrameMapper.hello(IDENTITY, "", TAKEN.toEpochMilli() - 42 * 5000 - 7).getHello();

  @Test
  void compactSnapshotCarriesTimeAndIntervalAsSkewsFromTheHelloAndModesPacked() {
    Snapshot snapshot =
        FrameMapper.snapshot(new Sample(42, TAKEN, Duration.ofMillis(5003), USAGE), 0, HELLO)
            .getSnapshot();

    assertThat(snapshot.getTimeMs()).isZero();
    assertThat(snapshot.getIntervalMs()).isZero();
    assertThat(snapshot.getTimeSkewMs()).isEqualTo(7);
    assertThat(snapshot.getIntervalSkewMs()).isEqualTo(3);
    // The wire's order: user, nice, system, iowait, irq, softirq, steal, idle.
    assertThat(snapshot.getCpu().getModesList()).containsExactly(201, 3, 150, 100, 11, 9, 6, 520);
    assertThat(snapshot.getCpu().getUser()).isZero();
    assertThat(snapshot.getCpu().getCoreBusyList()).containsExactly(500, 250, 1000, 0);
  }

  @Test
  void compactSnapshotIsSmallerThanTheClassicOne() {
    Sample sample = new Sample(42, TAKEN, Duration.ofMillis(5003), USAGE);

    int classic = FrameMapper.snapshot(sample, 0).getSerializedSize();
    int compact = FrameMapper.snapshot(sample, 0, HELLO).getSerializedSize();

    // time_ms 7 bytes and interval_ms 3 against 2 and 2; 8 mode tags against 1 tag and a length.
    assertThat(classic - compact).isEqualTo(12);
  }

  @Test
  void aSpooledCompactFrameTurnsIntoTheClassicFrameForAnOlderCollector() {
    Sample sample = new Sample(42, TAKEN, Duration.ofMillis(5003), USAGE);
    byte[] compact = FrameMapper.snapshot(sample, 3, HELLO).toByteArray();

    byte[] classic = FrameMapper.classic(compact, HELLO);

    assertThat(classic).isEqualTo(FrameMapper.snapshot(sample, 3).toByteArray());
  }

  @Test
  void aClassicFrameStaysAsItIs() {
    byte[] classic =
        FrameMapper.snapshot(new Sample(42, TAKEN, Duration.ofMillis(5003), USAGE), 0)
            .toByteArray();

    assertThat(FrameMapper.classic(classic, HELLO)).isSameAs(classic);
  }
}
