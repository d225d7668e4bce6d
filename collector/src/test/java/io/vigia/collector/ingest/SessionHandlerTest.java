package io.vigia.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.codec.Frames;
import io.vigia.codec.Protocol;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.LinkState;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.CpuSample;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SessionHandlerTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private static final long EPOCH = 1_740_823_200_000L;
  private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);

  private final HostRegistry registry = new HostRegistry(100, InstantSource.fixed(T0));

  /**
   * A link whose clock stands still from before its handshake deadline is set: the handlers join
   * the pipeline after {@code freezeTime()}, then the channel announces itself active, as a real
   * channel does once its initializer has run.
   */
  private EmbeddedChannel link() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline()
        .addLast(new SessionHandler(registry, HELLO_TIMEOUT), RejectOnErrorHandler.INSTANCE);
    ch.pipeline().fireChannelActive();
    return ch;
  }

  static Hello.Builder helloBody(String id, int cores) {
    return Hello.newBuilder()
        .setProtocolVersion(Protocol.VERSION)
        .setAgentId(id)
        .setHostname(id + ".example.org")
        .setOs("Debian GNU/Linux 12 (bookworm) 6.1")
        .setCores(cores)
        .setAgentVersion("0.1.0")
        .setEpoch(EPOCH)
        .setIntervalMs(1000);
  }

  static Frame hello(String id, int cores) {
    return Frame.newBuilder().setHello(helloBody(id, cores)).build();
  }

  static Frame snapshot(long seq, int... coreBusy) {
    CpuSample.Builder cpu =
        CpuSample.newBuilder().setBusy(417).setUser(300).setSystem(117).setIdle(583);
    for (int busy : coreBusy) {
      cpu.addCoreBusy(busy);
    }
    return Frame.newBuilder()
        .setSnapshot(
            Snapshot.newBuilder()
                .setSeq(seq)
                .setTimeMs(T0.plusSeconds(seq).toEpochMilli())
                .setIntervalMs(1000)
                .setCpu(cpu))
        .build();
  }

  private static Frame readFrame(EmbeddedChannel ch) {
    Object written = ch.readOutbound();
    assertThat(written).as("a frame written to the agent").isInstanceOf(Frame.class);
    return (Frame) written;
  }

  private static void assertRejected(EmbeddedChannel ch, ErrorCode code) {
    Frame error = readFrame(ch);
    assertThat(error.hasError()).as("an Error frame, not %s", error).isTrue();
    assertThat(error.getError().getCode()).isEqualTo(code);
    assertThat(error.getError().getMessage()).isNotBlank();
    assertThat(ch.isOpen()).as("link closed").isFalse();
  }

  private List<Long> storedSeqs(String id) {
    return registry.history(id, 100).orElseThrow().stream().map(StoredSample::seq).toList();
  }

  private HostView host(String id) {
    return registry.host(id).orElseThrow();
  }

  @Test
  void helloIsAnsweredWithWelcomeAndTheHostIsConnected() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 4));

      Frame welcome = readFrame(ch);
      assertThat(welcome.hasWelcome()).isTrue();
      assertThat(welcome.getWelcome().getLastStoredSeq()).isZero();
      assertThat(welcome.getWelcome().getProtocolVersion()).isEqualTo(Protocol.VERSION);
      assertThat(welcome.getWelcome().getSessionId()).isNotBlank();
      assertThat(ch.isOpen()).isTrue();
      HostView host = host("web-1");
      assertThat(host.state()).isEqualTo(LinkState.CONNECTED);
      assertThat(host.identity().hostname()).isEqualTo("web-1.example.org");
      assertThat(host.identity().cores()).isEqualTo(4);
      assertThat(host.identity().epoch()).isEqualTo(EPOCH);
      assertThat(registry.connectedCount()).isEqualTo(1);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void welcomeTellsAReconnectingAgentTheLastSeqAlreadyStored() {
    HostIdentity identity =
        new HostIdentity("web-1", "web-1.example.org", "Linux", 2, "0.1.0", EPOCH, 1000);
    registry.connect(-1, identity, "10.0.0.1:5000");
    for (long seq = 1; seq <= 3; seq++) {
      registry.append(
          -1,
          "web-1",
          new StoredSample(
              EPOCH, seq, T0, 1000, new CpuFigures(1, new int[] {1, 1}, 0, 0, 0, 0, 0, 0, 0, 0)));
    }
    registry.disconnect(-1, "web-1", false);
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 2));

      assertThat(readFrame(ch).getWelcome().getLastStoredSeq()).isEqualTo(3);
      assertThat(host("web-1").state()).isEqualTo(LinkState.CONNECTED);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSnapshotBeforeHelloIsRejectedWithHelloRequired() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(snapshot(1, 500, 500));

      assertRejected(ch, ErrorCode.HELLO_REQUIRED);
      assertThat(registry.hosts()).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void noHelloWithinTheTimeoutIsRejectedWithHelloTimeout() {
    EmbeddedChannel ch = link();
    try {
      ch.advanceTimeBy(11, TimeUnit.SECONDS);
      ch.runPendingTasks();

      assertRejected(ch, ErrorCode.HELLO_TIMEOUT);
      assertThat(registry.hosts()).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aLinkIsNotRejectedBeforeTheHelloTimeoutElapses() {
    EmbeddedChannel ch = link();
    try {
      ch.advanceTimeBy(9, TimeUnit.SECONDS);
      ch.runPendingTasks();

      assertThat(ch.isOpen()).isTrue();
      assertThat(ch.<Object>readOutbound()).isNull();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aTimelyHelloCancelsTheHelloTimeout() {
    EmbeddedChannel ch = link();
    try {
      ch.advanceTimeBy(5, TimeUnit.SECONDS);
      ch.writeInbound(hello("web-1", 2));
      readFrame(ch);

      ch.advanceTimeBy(60, TimeUnit.SECONDS);
      ch.runPendingTasks();

      assertThat(ch.isOpen()).isTrue();
      assertThat(ch.<Object>readOutbound()).isNull();
      assertThat(host("web-1").state()).isEqualTo(LinkState.CONNECTED);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void anUnsupportedProtocolVersionIsRejected() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(
          Frame.newBuilder()
              .setHello(helloBody("web-1", 2).setProtocolVersion(Protocol.VERSION + 1))
              .build());

      assertRejected(ch, ErrorCode.UNSUPPORTED_VERSION);
      assertThat(registry.hosts()).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aHelloWithZeroCoresIsRejectedAsInvalid() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 0));

      assertRejected(ch, ErrorCode.INVALID_MESSAGE);
      assertThat(registry.hosts()).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aHelloWithABlankAgentIdIsRejectedAsInvalid() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("  ", 2));

      assertRejected(ch, ErrorCode.INVALID_MESSAGE);
      assertThat(registry.hosts()).isEmpty();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSecondHelloOnTheSameLinkIsRejectedAsInvalid() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 2));
      readFrame(ch);

      ch.writeInbound(hello("web-1", 2));

      assertRejected(ch, ErrorCode.INVALID_MESSAGE);
      assertThat(host("web-1").state()).isEqualTo(LinkState.LOST);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aBatchOfSnapshotsIsStoredAndAnsweredWithOneCumulativeAck() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 2));
      readFrame(ch);

      ch.writeInbound(snapshot(1, 100, 200), snapshot(2, 300, 400), snapshot(3, 500, 600));

      Frame ack = readFrame(ch);
      assertThat(ack.hasAck()).isTrue();
      assertThat(ack.getAck().getSeq()).isEqualTo(3);
      assertThat(ch.<Object>readOutbound()).as("only one ack").isNull();
      assertThat(storedSeqs("web-1")).containsExactly(1L, 2L, 3L);
      assertThat(host("web-1").latest().orElseThrow().cpu().coreBusy()).containsExactly(500, 600);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void everyBatchIsAckedUpToItsHighestSeq() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 1));
      readFrame(ch);

      ch.writeInbound(snapshot(1, 10));
      assertThat(readFrame(ch).getAck().getSeq()).isEqualTo(1);

      ch.writeInbound(snapshot(2, 20), snapshot(3, 30));
      assertThat(readFrame(ch).getAck().getSeq()).isEqualTo(3);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aReplayedSnapshotIsNotStoredTwice() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 1));
      readFrame(ch);
      ch.writeInbound(snapshot(1, 10), snapshot(2, 20));
      readFrame(ch);

      ch.writeInbound(snapshot(2, 20), snapshot(3, 30));

      assertThat(readFrame(ch).getAck().getSeq()).isEqualTo(3);
      assertThat(storedSeqs("web-1")).containsExactly(1L, 2L, 3L);
      assertThat(host("web-1").samples()).isEqualTo(3);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSnapshotWithADifferentCoreCountThanHelloIsRejectedAsInvalid() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 4));
      readFrame(ch);

      ch.writeInbound(snapshot(1, 100, 200));

      assertRejected(ch, ErrorCode.INVALID_MESSAGE);
      assertThat(host("web-1").samples()).isZero();
      assertThat(host("web-1").state()).isEqualTo(LinkState.LOST);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void goodbyeClosesTheLinkAndTheHostLeaves() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 1));
      readFrame(ch);
      ch.writeInbound(snapshot(1, 10));
      readFrame(ch);

      ch.writeInbound(Frames.goodbye("agent stopping"));

      assertThat(ch.isOpen()).isFalse();
      assertThat(host("web-1").state()).isEqualTo(LinkState.LEFT);
      assertThat(host("web-1").samples()).isEqualTo(1);
      assertThat(registry.connectedCount()).isZero();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aLinkClosedWithoutGoodbyeLeavesTheHostLost() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 1));
      readFrame(ch);
      ch.writeInbound(snapshot(1, 10));

      ch.close();

      assertThat(host("web-1").state()).isEqualTo(LinkState.LOST);
      assertThat(host("web-1").samples()).isEqualTo(1);
      assertThat(registry.connectedCount()).isZero();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void anErrorFromTheAgentClosesTheLinkAndTheHostIsLost() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 1));
      readFrame(ch);

      ch.writeInbound(Frames.error(ErrorCode.SHUTTING_DOWN, "disk full"));

      assertThat(ch.isOpen()).isFalse();
      assertThat(host("web-1").state()).isEqualTo(LinkState.LOST);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void welcomeTellsTheAgentTheCollectorsHeartbeatPeriod() {
    EmbeddedChannel ch = new EmbeddedChannel();
    try {
      ch.pipeline().addLast(new SessionHandler(registry, HELLO_TIMEOUT, Duration.ofSeconds(10)));
      ch.pipeline().fireChannelActive();
      ch.writeInbound(hello("web-1", 1));

      assertThat(readFrame(ch).getWelcome().getHeartbeatMs()).isEqualTo(10_000);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void theAgentsSpoolDropCountReachesTheRegistry() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("web-1", 1));
      readFrame(ch);
      Frame dropped = snapshot(40, 10);
      ch.writeInbound(
          dropped.toBuilder()
              .setSnapshot(dropped.getSnapshot().toBuilder().setSpoolDropped(39))
              .build());

      assertThat(host("web-1").delivery().spoolDropped()).isEqualTo(39);
      assertThat(readFrame(ch).getAck().getSeq()).isEqualTo(40);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void anAgentsNewDropsAreLoggedWithHowMany() {
    Logger logger = (Logger) LoggerFactory.getLogger(SessionHandler.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(hello("dropper", 1));
      readFrame(ch);
      ch.writeInbound(snapshot(1, 10));
      Frame dropped = snapshot(40, 10);
      ch.writeInbound(
          dropped.toBuilder()
              .setSnapshot(dropped.getSnapshot().toBuilder().setSpoolDropped(38))
              .build());

      assertThat(lines.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .filteredOn(line -> line.contains(" dropped "))
          .containsExactly(
              "Agent dropper dropped 38 samples it could not keep (its spool was full, or a"
                  + " record on its disk was damaged); 38 in this run");
    } finally {
      logger.detachAppender(lines);
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aNewLinkForTheSameAgentTakesOverFromTheOldOne() {
    EmbeddedChannel old = link();
    EmbeddedChannel current = link();
    try {
      old.writeInbound(hello("web-1", 1));
      readFrame(old);
      old.writeInbound(snapshot(1, 10));
      readFrame(old);

      current.writeInbound(hello("web-1", 1));
      assertThat(readFrame(current).getWelcome().getLastStoredSeq()).isEqualTo(1);
      old.runPendingTasks();

      assertRejected(old, ErrorCode.REPLACED);

      assertThat(host("web-1").state()).isEqualTo(LinkState.CONNECTED);
      assertThat(registry.connectedCount()).isEqualTo(1);
      assertThat(storedSeqs("web-1")).containsExactly(1L);
      current.writeInbound(snapshot(2, 20));
      assertThat(readFrame(current).getAck().getSeq()).isEqualTo(2);
      assertThat(storedSeqs("web-1")).containsExactly(1L, 2L);
    } finally {
      old.finishAndReleaseAll();
      current.finishAndReleaseAll();
    }
  }
}
