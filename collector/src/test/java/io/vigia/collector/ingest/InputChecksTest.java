package io.vigia.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.CpuSample;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.SampleRefusal;
import io.vigia.proto.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sanity rules on Hello and snapshot values, through a session (README, "Protocol"). */
class InputChecksTest {

  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");
  private static final long NOW_MS = NOW.toEpochMilli();
  private static final long DAY_MS = Duration.ofDays(1).toMillis();

  private final HostRegistry registry = new HostRegistry(100, InstantSource.fixed(NOW));

  private EmbeddedChannel link() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline()
        .addLast(
            new SessionHandler(
                registry,
                Duration.ofSeconds(10),
                Duration.ZERO,
                null,
                io.vigia.collector.store.Store.IN_MEMORY,
                InputRules.DEFAULTS,
                InstantSource.fixed(NOW)),
            RejectOnErrorHandler.INSTANCE);
    ch.pipeline().fireChannelActive();
    return ch;
  }

  private static Hello.Builder hello() {
    return SessionHandlerTest.helloBody("web-1", 2);
  }

  private static Snapshot.Builder snapshot(long seq, long timeMs) {
    return Snapshot.newBuilder()
        .setSeq(seq)
        .setTimeMs(timeMs)
        .setIntervalMs(1000)
        .setCpu(CpuSample.newBuilder().setBusy(10).addCoreBusy(10).addCoreBusy(10).setIdle(990));
  }

  private static Frame frame(Snapshot.Builder snapshot) {
    return Frame.newBuilder().setSnapshot(snapshot).build();
  }

  private static EmbeddedChannel welcomed(EmbeddedChannel ch, Hello.Builder hello) {
    ch.writeInbound(Frame.newBuilder().setHello(hello).build());
    Frame welcome = ch.readOutbound();
    assertThat(welcome.hasWelcome()).as("%s", welcome).isTrue();
    return ch;
  }

  private List<Long> stored() {
    return registry.history("web-1", 100).orElseThrow().stream().map(StoredSample::seq).toList();
  }

  private static void assertLinkRefused(EmbeddedChannel ch, String words) {
    Frame error = ch.readOutbound();
    assertThat(error.hasError()).as("%s", error).isTrue();
    assertThat(error.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(error.getError().getMessage()).contains(words).doesNotContain("Exception");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void aHelloWithoutAnEpochRefusesTheLink() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(Frame.newBuilder().setHello(hello().setEpoch(0)).build());
      assertLinkRefused(ch, "no epoch");
      assertThat(registry.host("web-1")).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aHelloWithAZeroOrAbsurdIntervalRefusesTheLink() {
    for (int interval : new int[] {0, -1, 86_400_001}) {
      EmbeddedChannel ch = link();
      try {
        ch.writeInbound(Frame.newBuilder().setHello(hello().setIntervalMs(interval)).build());
        assertLinkRefused(ch, "sampling interval is " + Integer.toUnsignedString(interval));
      } finally {
        ch.finishAndReleaseAll();
      }
    }
  }

  @Test
  void aSampleFromTheFutureIsRefusedAloneAndAcknowledgedAsRefused() {
    EmbeddedChannel ch = welcomed(link(), hello());
    try {
      ch.writeInbound(frame(snapshot(1, NOW_MS - 1000)));
      ch.writeInbound(frame(snapshot(2, NOW_MS + Duration.ofMinutes(6).toMillis())));
      ch.writeInbound(frame(snapshot(3, NOW_MS + Duration.ofMinutes(4).toMillis())));

      assertThat(stored()).containsExactly(1L, 3L);
      Frame ack1 = ch.readOutbound();
      assertThat(ack1.getAck().getSeq()).isEqualTo(1);
      Frame refused = ch.readOutbound();
      assertThat(refused.getAck().getSeq()).isEqualTo(2);
      assertThat(refused.getAck().getRefused()).isEqualTo(SampleRefusal.TIME_IN_FUTURE);
      assertThat(refused.getAck().getRefusedMessage())
          .isEqualTo(
              "snapshot 2 was taken 6 min after the collector's time; check the agent's clock"
                  + " (NTP), at most 5 min apart are accepted (--max-clock-skew)");
      Frame ack3 = ch.readOutbound();
      assertThat(ack3.getAck().getSeq()).isEqualTo(3);
      assertThat(ack3.getAck().getRefused()).isEqualTo(SampleRefusal.SAMPLE_REFUSAL_UNSPECIFIED);
      assertThat(ch.isOpen()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void samplesOlderThanAnySpoolOrBefore1970AreRefusedAlone() {
    EmbeddedChannel ch = welcomed(link(), hello());
    try {
      ch.writeInbound(frame(snapshot(1, NOW_MS - 8 * DAY_MS)));
      ch.writeInbound(frame(snapshot(2, -1)));
      ch.writeInbound(frame(snapshot(3, 0)));

      assertThat(registry.history("web-1", 100).orElseThrow()).isEmpty();
      Frame old = ch.readOutbound();
      assertThat(old.getAck().getRefused()).isEqualTo(SampleRefusal.TIME_TOO_OLD);
      assertThat(old.getAck().getRefusedMessage())
          .isEqualTo(
              "snapshot 1 was taken 8 days ago; this collector accepts samples up to 7 days old"
                  + " (--max-sample-age plus --max-clock-skew)");
      Frame before1970 = ch.readOutbound();
      assertThat(before1970.getAck().getRefusedMessage()).contains("dated before 1970");
      Frame epoch = ch.readOutbound();
      assertThat(epoch.getAck().getSeq()).isEqualTo(3);
      assertThat(epoch.getAck().getRefused()).isEqualTo(SampleRefusal.TIME_TOO_OLD);
      assertThat(ch.isOpen()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aWeekOldSpoolReplayedByAWellBehavedAgentIsStored() {
    EmbeddedChannel ch = welcomed(link(), hello().setIntervalMs(60_000));
    try {
      long first = NOW_MS - 7 * DAY_MS + 1000;
      int count = 7 * 24 * 60;
      for (int seq = 1; seq <= count; seq++) {
        ch.writeInbound(frame(snapshot(seq, first + (seq - 1) * 60_000L).setIntervalMs(60_000)));
      }
      assertThat(registry.host("web-1").orElseThrow().lastSeq()).isEqualTo(count);
      Frame last = null;
      for (Object out; (out = ch.readOutbound()) != null; ) {
        last = (Frame) out;
        assertThat(last.getAck().getRefused()).isEqualTo(SampleRefusal.SAMPLE_REFUSAL_UNSPECIFIED);
      }
      assertThat(last.getAck().getSeq()).isEqualTo(count);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void zeroAndAbsurdSnapshotIntervalsAreRefusedAlone() {
    EmbeddedChannel ch = welcomed(link(), hello());
    try {
      ch.writeInbound(frame(snapshot(1, NOW_MS).setIntervalMs(0)));
      ch.writeInbound(frame(snapshot(2, NOW_MS).setIntervalMs(-1)));
      ch.writeInbound(frame(snapshot(3, NOW_MS)));

      assertThat(stored()).containsExactly(3L);
      Frame zero = ch.readOutbound();
      assertThat(zero.getAck().getRefused()).isEqualTo(SampleRefusal.BAD_INTERVAL);
      assertThat(zero.getAck().getRefusedMessage()).contains("interval of 0 ms");
      Frame huge = ch.readOutbound();
      assertThat(huge.getAck().getRefusedMessage()).contains("interval of 4294967295 ms");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aCompactTimeThatOverflowsIsRefusedAlone() {
    EmbeddedChannel ch = welcomed(link(), hello().setTimeBaseMs(NOW_MS - 10_000));
    try {
      ch.writeInbound(
          frame(
              Snapshot.newBuilder()
                  .setSeq(1)
                  .setTimeSkewMs(-(1L << 62))
                  .setCpu(CpuSample.newBuilder().addCoreBusy(1).addCoreBusy(1))));
      ch.writeInbound(
          frame(
              Snapshot.newBuilder()
                  .setSeq(2)
                  .setTimeSkewMs(Long.MAX_VALUE)
                  .setCpu(CpuSample.newBuilder().addCoreBusy(1).addCoreBusy(1))));

      assertThat(registry.history("web-1", 100).orElseThrow()).isEmpty();
      Frame first = ch.readOutbound();
      assertThat(first.getAck().getRefused()).isEqualTo(SampleRefusal.TIME_TOO_OLD);
      Frame second = ch.readOutbound();
      assertThat(second.getAck().getRefused())
          .isNotEqualTo(SampleRefusal.SAMPLE_REFUSAL_UNSPECIFIED);
      assertThat(ch.isOpen()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSequenceJumpBeyondWhatASpoolHoldsRefusesTheLink() {
    EmbeddedChannel ch = welcomed(link(), hello());
    try {
      ch.writeInbound(frame(snapshot(1, NOW_MS - 2000)));
      ch.writeInbound(frame(snapshot((1L << 62) + 1, NOW_MS - 1000)));

      assertThat(stored()).containsExactly(1L);
      assertThat(ch.<Frame>readOutbound().getAck().getSeq()).isEqualTo(1);
      assertLinkRefused(ch, "more samples than its interval of 1000 ms allows");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aJumpAfterALongOutageWithinTheSampleTimeIsStored() {
    EmbeddedChannel ch = welcomed(link(), hello());
    try {
      // Stored 6 days ago; the agent's spool then dropped its oldest and kept the last hour.
      ch.writeInbound(frame(snapshot(1, NOW_MS - 6 * DAY_MS)));
      long resumed = 1 + 6 * 86_400 - 3600;
      ch.writeInbound(frame(snapshot(resumed, NOW_MS - 3_600_000)));
      // And a jump within one spool's worth, with no time elapsed (a clock stepped back).
      ch.writeInbound(frame(snapshot(resumed + 500_000, NOW_MS - 3_600_000)));

      assertThat(stored()).containsExactly(1L, resumed, resumed + 500_000);
      assertThat(ch.isOpen()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void theFirstSequenceCannotExceedTheIntervalsSince1970() {
    EmbeddedChannel ch = welcomed(link(), hello());
    try {
      ch.writeInbound(frame(snapshot(NOW_MS / 1000 + 10, NOW_MS)));
      assertLinkRefused(ch, "sequence numbers count one per sample from 1");
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
