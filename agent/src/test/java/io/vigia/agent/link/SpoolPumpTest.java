package io.vigia.agent.link;

import static io.vigia.agent.link.LinkFixtures.T0;
import static io.vigia.agent.link.LinkFixtures.sample;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Promise;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import io.vigia.proto.Welcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpoolPumpTest {

  private static final Hello HELLO =
      FrameMapper.hello(
              new AgentIdentity("web-1", "web-1", "Linux", 2, "test", 9, Duration.ofSeconds(1)),
              "",
              T0.toEpochMilli())
          .getHello();

  private final MemorySpool spool = new MemorySpool(100, 1 << 20);
  private final SpoolPump pump = new SpoolPump(spool, HELLO);
  private final List<EmbeddedChannel> channels = new ArrayList<>();

  @AfterEach
  void releaseChannels() {
    channels.forEach(EmbeddedChannel::finishAndReleaseAll);
  }

  /** A link whose clock stands still until the test moves it. */
  private EmbeddedChannel link() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    channels.add(ch);
    return ch;
  }

  private static Welcome welcome(long lastStoredSeq, int protocol) {
    return Welcome.newBuilder()
        .setSessionId("s-1")
        .setLastStoredSeq(lastStoredSeq)
        .setProtocolVersion(protocol)
        .build();
  }

  private static Welcome welcome(long lastStoredSeq) {
    return welcome(lastStoredSeq, 1);
  }

  private void offer(long from, long to) {
    for (long seq = from; seq <= to; seq++) {
      pump.offer(sample(seq));
    }
  }

  /** The snapshots written to {@code ch} since the last call, in order. */
  private static List<Snapshot> sent(EmbeddedChannel ch) {
    List<Snapshot> snapshots = new ArrayList<>();
    for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
      try {
        snapshots.add(Frame.parseFrom(ByteBufUtil.getBytes(buf)).getSnapshot());
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("not a Frame", e);
      } finally {
        buf.release();
      }
    }
    return snapshots;
  }

  private static List<Long> seqs(List<Snapshot> snapshots) {
    return snapshots.stream().map(Snapshot::getSeq).toList();
  }

  @Test
  void samplesAreSpooledAndNotSentBeforeAWelcome() {
    offer(1, 3);

    assertThat(pump.waiting()).isEqualTo(3);
    assertThat(pump.channel()).isNull();
  }

  @Test
  void aWelcomeSendsWhatTheCollectorLacksOldestFirst() {
    EmbeddedChannel ch = link();
    offer(1, 5);

    pump.welcomed(ch, welcome(2));

    assertThat(seqs(sent(ch))).containsExactly(3L, 4L, 5L);
    assertThat(pump.waiting()).as("the Welcome acknowledges 1 and 2").isEqualTo(3);
    assertThat(pump.channel()).isSameAs(ch);
  }

  @Test
  void aSampleOfferedWhileWelcomedIsSentAtOnce() {
    EmbeddedChannel ch = link();
    pump.welcomed(ch, welcome(0));

    pump.offer(sample(1));

    assertThat(seqs(sent(ch))).containsExactly(1L);
  }

  @Test
  void acksEmptyTheSpool() {
    EmbeddedChannel ch = link();
    pump.welcomed(ch, welcome(0));
    offer(1, 4);

    pump.acknowledged(3);

    assertThat(pump.waiting()).isEqualTo(1);
    assertThat(spool.firstSeq()).isEqualTo(4);
  }

  @Test
  void aFullSocketStopsTheReplayAndWritableResumesIt() {
    EmbeddedChannel ch = link();
    // Any unflushed snapshot fills the buffer.
    ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
    offer(1, 3);

    pump.welcomed(ch, welcome(0));
    assertThat(seqs(sent(ch))).containsExactly(1L);

    pump.writable(ch);
    assertThat(seqs(sent(ch))).containsExactly(2L);
  }

  @Test
  void writableFromALinkThatIsNotTheCurrentOneIsIgnored() {
    EmbeddedChannel old = link();
    EmbeddedChannel current = link();
    current.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
    offer(1, 3);
    pump.welcomed(current, welcome(0));
    sent(current);

    pump.writable(old);

    assertThat(sent(current)).isEmpty();
    assertThat(sent(old)).isEmpty();
  }

  @Test
  void aReplayGoesOutInTheCollectorsBurstThenAtItsRateOnTheLoopsTimer() {
    EmbeddedChannel ch = link();
    offer(1, 5);

    // 90 % of a burst of 3 and of 10/s: 2 at once, then one every 1/9 s.
    pump.welcomed(
        ch, welcome(0).toBuilder().setMaxSnapshotsPerSecond(10).setSnapshotBurst(3).build());
    assertThat(seqs(sent(ch))).containsExactly(1L, 2L);

    ch.advanceTimeBy(110, TimeUnit.MILLISECONDS);
    ch.runPendingTasks();
    assertThat(sent(ch)).as("110 ms later").isEmpty();

    ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
    ch.runPendingTasks();
    assertThat(seqs(sent(ch))).as("112 ms later").containsExactly(3L);

    ch.advanceTimeBy(112, TimeUnit.MILLISECONDS);
    ch.runPendingTasks();
    assertThat(seqs(sent(ch))).containsExactly(4L);
  }

  @Test
  void aPacedReplayLetsNewSamplesQueueBehindIt() {
    EmbeddedChannel ch = link();
    offer(1, 3);
    pump.welcomed(
        ch, welcome(0).toBuilder().setMaxSnapshotsPerSecond(10).setSnapshotBurst(3).build());
    sent(ch);

    pump.offer(sample(4));
    assertThat(sent(ch)).as("over the rate").isEmpty();

    ch.advanceTimeBy(112, TimeUnit.MILLISECONDS);
    ch.runPendingTasks();
    assertThat(seqs(sent(ch))).containsExactly(3L);
  }

  @Test
  void aLostLinkStopsSendingAndTheNextWelcomeResendsWhatIsNotStored() {
    EmbeddedChannel first = link();
    pump.welcomed(first, welcome(0));
    offer(1, 3);
    sent(first);

    pump.lost();
    pump.offer(sample(4));
    assertThat(pump.channel()).isNull();
    assertThat(sent(first)).isEmpty();

    EmbeddedChannel second = link();
    pump.welcomed(second, welcome(1));
    assertThat(seqs(sent(second))).containsExactly(2L, 3L, 4L);
  }

  @Test
  void aCompactCollectorGetsCompactSnapshots() {
    EmbeddedChannel ch = link();
    pump.welcomed(ch, welcome(0, 2));

    pump.offer(sample(1));

    Snapshot s = sent(ch).get(0);
    assertThat(s.hasTimeSkewMs()).isTrue();
    assertThat(HELLO.getTimeBaseMs() + 1000 + s.getTimeSkewMs())
        .isEqualTo(sample(1).time().toEpochMilli());
  }

  @Test
  void compactSnapshotsSpooledForANewerCollectorAreReplayedClassicToAnOlderOne() {
    EmbeddedChannel newer = link();
    pump.welcomed(newer, welcome(0, 2));
    offer(1, 2);
    pump.lost();

    EmbeddedChannel older = link();
    pump.welcomed(older, welcome(0, 1));
    pump.offer(sample(3));

    List<Snapshot> sent = sent(older);
    assertThat(seqs(sent)).containsExactly(1L, 2L, 3L);
    assertThat(sent).noneMatch(Snapshot::hasTimeSkewMs);
    assertThat(sent.get(0).getTimeMs()).isEqualTo(sample(1).time().toEpochMilli());
  }

  @Test
  void aFullSpoolDropsTheOldestAndTheNewSnapshotCountsTheDrop() {
    SpoolPump small = new SpoolPump(new MemorySpool(2, 1 << 20), HELLO);
    EmbeddedChannel ch = link();
    small.offer(sample(1));
    small.offer(sample(2));
    small.offer(sample(3));

    small.welcomed(ch, welcome(0));

    List<Snapshot> sent = sent(ch);
    assertThat(seqs(sent)).containsExactly(2L, 3L);
    assertThat(sent.get(1).getSpoolDropped()).isEqualTo(1);
    assertThat(small.dropped()).isEqualTo(1);
  }

  @Test
  void whenEmptiedCompletesOnceEverythingIsAcknowledged() {
    EmbeddedChannel ch = link();
    pump.welcomed(ch, welcome(0));
    offer(1, 3);
    Promise<Void> emptied = ch.eventLoop().newPromise();

    pump.whenEmptied(emptied);
    pump.acknowledged(2);
    assertThat(emptied.isDone()).isFalse();

    pump.acknowledged(3);
    assertThat(emptied.isSuccess()).isTrue();
  }

  @Test
  void whenEmptiedCompletesAtOnceWhenNothingWaits() {
    EmbeddedChannel ch = link();
    Promise<Void> emptied = ch.eventLoop().newPromise();

    pump.whenEmptied(emptied);

    assertThat(emptied.isSuccess()).isTrue();
  }

  @Test
  void whenEmptiedCompletesWhenTheLinkIsLost() {
    EmbeddedChannel ch = link();
    pump.welcomed(ch, welcome(0));
    offer(1, 3);
    Promise<Void> emptied = ch.eventLoop().newPromise();
    pump.whenEmptied(emptied);

    pump.lost();

    assertThat(emptied.isSuccess()).isTrue();
    assertThat(pump.waiting()).as("kept for the next link").isEqualTo(3);
  }
}
