package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigia.journal.DirectoryLock;
import io.vigia.journal.Segment;
import io.vigia.proto.Hello;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolDirectoryTest {

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  // Small segments, so that a few hundred samples make several.
  private static final SpoolDirectory.Bounds BOUNDS =
      new SpoolDirectory.Bounds(1 << 20, Duration.ofDays(7), 4096, Duration.ofSeconds(5));

  @TempDir Path dir;
  private final Clock clock = new Clock();

  private static final class Clock implements InstantSource {
    long millis = T0.toEpochMilli();

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private static Hello hello(long epoch) {
    return Hello.newBuilder()
        .setAgentId("web-1")
        .setEpoch(epoch)
        .setToken("secret")
        .setTimeBaseMs(T0.toEpochMilli() + epoch)
        .setIntervalMs(5000)
        .build();
  }

  /** A frame that says which sample it is, of {@code bytes} bytes. */
  private static byte[] frame(long epoch, long seq, int bytes) {
    byte[] frame = new byte[bytes];
    Arrays.fill(frame, (byte) (seq * 31 + epoch));
    ByteBuffer.wrap(frame).putLong(epoch).putLong(seq);
    return frame;
  }

  private SpoolDirectory open(long epoch) throws IOException {
    return open(epoch, BOUNDS);
  }

  private SpoolDirectory open(long epoch, SpoolDirectory.Bounds bounds) throws IOException {
    return SpoolDirectory.open(dir, hello(epoch), bounds, clock, Runnable::run, System::nanoTime);
  }

  private static void add(SpoolDirectory spool, long epoch, long from, long to, int bytes) {
    for (long seq = from; seq <= to; seq++) {
      spool.current().add(seq, frame(epoch, seq, bytes), seq % 2 == 0);
    }
  }

  private static List<Long> seqs(Spool spool) {
    List<Long> seqs = new ArrayList<>();
    for (long seq = spool.after(0); seq != 0; seq = spool.after(seq)) {
      seqs.add(seq);
    }
    return seqs;
  }

  private static void assertHolds(Spool spool, long epoch, long from, long to, int bytes) {
    assertThat(seqs(spool)).containsExactlyElementsOf(range(from, to));
    for (long seq = from; seq <= to; seq++) {
      assertThat(spool.get(seq)).as("sample %d", seq).isEqualTo(frame(epoch, seq, bytes));
      assertThat(spool.compact(seq)).isEqualTo(seq % 2 == 0);
    }
  }

  private static List<Long> range(long from, long to) {
    List<Long> range = new ArrayList<>();
    for (long seq = from; seq <= to; seq++) {
      range.add(seq);
    }
    return range;
  }

  private long segments() throws IOException {
    return Segment.list(dir).size();
  }

  @Test
  void samplesAreWrittenAsTheyComeAndReadBackBySeq() throws IOException {
    try (SpoolDirectory spool = open(7)) {
      add(spool, 7, 1, 300, 100);

      assertThat(spool.current().size()).isEqualTo(300);
      assertThat(spool.current().firstSeq()).isEqualTo(1);
      assertHolds(spool.current(), 7, 1, 300, 100);
      assertThat(segments()).isGreaterThan(5);
      assertThat(spool.bytes())
          .isEqualTo(Segment.list(dir).stream().mapToLong(Segment::bytes).sum());
    }
  }

  @Test
  void acknowledgedSamplesAreReleasedByDeletingWholeSegments() throws IOException {
    try (SpoolDirectory spool = open(7)) {
      add(spool, 7, 1, 300, 100);
      List<Segment> before = Segment.list(dir);

      spool.current().acknowledge(150);

      List<Segment> after = Segment.list(dir);
      assertThat(after.size()).isLessThan(before.size());
      // What is left is untouched: the same files with the same sizes, none rewritten.
      assertThat(before).containsAll(after);
      assertThat(spool.current().firstSeq()).isEqualTo(151);
      assertHolds(spool.current(), 7, 151, 300, 100);

      spool.current().acknowledge(300);

      assertThat(segments()).isEqualTo(1); // the one being written
      assertThat(spool.current().size()).isZero();
    }
  }

  @Test
  void aRestartFindsEachEarlierRunWithItsEpochHelloAndSequences() throws IOException {
    SpoolDirectory first = open(1);
    add(first, 1, 1, 50, 120);
    first.current().acknowledge(10);
    first.tick();
    first.close(); // SIGTERM: acks written, the rest stays

    SpoolDirectory second = open(2);
    assertThat(second.recovery().samples()).isEqualTo(40);
    add(second, 2, 1, 20, 80);
    second.abandon(); // kill -9

    try (SpoolDirectory third = open(3)) {
      List<EpochSpool> earlier = third.earlier();
      assertThat(earlier).extracting(EpochSpool::epoch).containsExactly(1L, 2L);
      assertThat(earlier.get(0).hello().getTimeBaseMs()).isEqualTo(T0.toEpochMilli() + 1);
      assertThat(earlier.get(0).hello().getToken()).isEmpty(); // never on disk
      assertHolds(earlier.get(0), 1, 11, 50, 120);
      assertHolds(earlier.get(1), 2, 1, 20, 80);
      assertThat(third.recovery().samples()).isEqualTo(60);
      assertThat(third.recovery().runs()).isEqualTo(2);
      assertThat(third.dropped()).isZero();
      assertThat(third.current().size()).isZero();
    }
  }

  @Test
  void anEarlierRunDeliveredLeavesNothingForTheNextStart() throws IOException {
    SpoolDirectory first = open(1);
    add(first, 1, 1, 100, 100);
    first.abandon();
    SpoolDirectory second = open(2);
    EpochSpool earlier = second.earlier().get(0);
    earlier.acknowledge(100);
    second.delivered(earlier);
    add(second, 2, 1, 5, 100);
    second.current().acknowledge(3);
    second.tick();
    second.abandon();

    try (SpoolDirectory third = open(3)) {
      assertThat(third.earlier()).hasSize(1);
      assertHolds(third.earlier().get(0), 2, 4, 5, 100);
    }
  }

  @Test
  void aTailCutAtAnyOffsetLosesOnlyTheUnfinishedSampleAndIsRepaired() throws IOException {
    SpoolDirectory first = open(1);
    add(first, 1, 1, 30, 100);
    first.abandon();
    Path newest = Segment.list(dir).get(Segment.list(dir).size() - 1).path();
    byte[] whole = Files.readAllBytes(newest);
    List<Segment> older = Segment.list(dir).subList(0, Segment.list(dir).size() - 1);
    Random random = new Random(16);
    for (int round = 0; round < 40; round++) {
      int cut = 16 + random.nextInt(whole.length - 16);
      Files.write(newest, Arrays.copyOf(whole, cut));
      try (SpoolDirectory reopened = open(100 + round)) {
        List<Long> seqs =
            reopened.earlier().isEmpty() ? List.of() : seqs(reopened.earlier().get(0));
        // A prefix: every sample up to the cut, none missing, nothing counted as damaged.
        assertThat(seqs).containsExactlyElementsOf(range(1, seqs.size()));
        if (!seqs.isEmpty()) {
          assertHolds(reopened.earlier().get(0), 1, 1, seqs.size(), 100);
        }
        assertThat(reopened.dropped()).isZero();
        if (Files.exists(newest)) {
          assertThat(Files.size(newest)).isLessThanOrEqualTo(cut); // repaired
        }
        reopened.abandon();
      }
      // Only the segments of run 1 are put back for the next round.
      for (Segment segment : Segment.list(dir)) {
        if (!older.contains(segment) && !segment.path().equals(newest)) {
          Files.delete(segment.path());
        }
      }
    }
  }

  @Test
  void aFlippedByteCostsTheSampleItLandsInWhichIsCounted() throws IOException {
    SpoolDirectory first = open(1);
    add(first, 1, 1, 60, 100);
    first.abandon();
    Path file = Segment.list(dir).get(1).path();
    // Somewhere in the middle of the second segment's samples.
    long at = Files.size(file) / 2;
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, at);
      one.put(0, (byte) (one.get(0) ^ 0x10));
      ch.write(one.flip(), at);
    }

    try (SpoolDirectory reopened = open(2)) {
      EpochSpool found = reopened.earlier().get(0);
      List<Long> seqs = seqs(found);
      assertThat(seqs).hasSize(59);
      assertThat(reopened.recovery().damagedSamples()).isEqualTo(1);
      assertThat(reopened.dropped()).isEqualTo(1);
      for (long seq : seqs) {
        assertThat(found.get(seq)).isEqualTo(frame(1, seq, 100));
      }
    }
  }

  @Test
  void pastItsSizeTheOldestSegmentsAreDroppedAndCounted() throws IOException {
    SpoolDirectory.Bounds small =
        new SpoolDirectory.Bounds(32 << 10, Duration.ofDays(7), 4096, Duration.ofSeconds(5));
    try (SpoolDirectory spool = open(1, small)) {
      for (long seq = 1; seq <= 1000; seq++) {
        spool.current().makeRoom(100);
        spool.current().add(seq, frame(1, seq, 100), seq % 2 == 0);
      }

      assertThat(spool.bytes()).isLessThanOrEqualTo(32 << 10);
      long first = spool.current().firstSeq();
      assertThat(spool.dropped()).isEqualTo(first - 1).isGreaterThan(700);
      assertHolds(spool.current(), 1, first, 1000, 100);
      assertThat(Segment.list(dir).stream().mapToLong(Segment::bytes).sum())
          .isLessThanOrEqualTo(32 << 10);
    }
  }

  @Test
  void pastItsAgeTheOldestSegmentsAreDroppedAndCounted() throws IOException {
    SpoolDirectory.Bounds hour =
        new SpoolDirectory.Bounds(1 << 20, Duration.ofHours(1), 4096, Duration.ofSeconds(5));
    try (SpoolDirectory spool = open(1, hour)) {
      for (long seq = 1; seq <= 200; seq++) {
        clock.millis += 30_000; // 100 minutes in all
        spool.current().makeRoom(100);
        spool.current().add(seq, frame(1, seq, 100), false);
      }

      long first = spool.current().firstSeq();
      assertThat(spool.dropped()).isEqualTo(first - 1).isPositive();
      // What is left is at most an hour old, give or take the segment it starts in.
      assertThat(200 - first).isBetween(100L, 160L);
    }
  }

  @Test
  void aSecondAgentOnTheSameDirectoryIsRefused() throws IOException {
    try (SpoolDirectory spool = open(1)) {
      assertThatThrownBy(() -> open(2)).isInstanceOf(DirectoryLock.HeldException.class);
    }
  }

  @Test
  void acknowledgementsSurviveARestartSoDeliveredSamplesAreNotSentAgain() throws IOException {
    SpoolDirectory first = open(1);
    add(first, 1, 1, 100, 100);
    first.current().acknowledge(97);
    first.tick(); // the ack is written down at the next tick
    first.abandon();

    try (SpoolDirectory second = open(2)) {
      assertHolds(second.earlier().get(0), 1, 98, 100, 100);
      // The segments that held only acknowledged samples are gone; 98 to 100 may span two.
      assertThat(segments()).isLessThanOrEqualTo(3);
      assertThat(Segment.list(dir).get(0).number()).isGreaterThan(2);
      assertThat(second.bytes())
          .isEqualTo(Segment.list(dir).stream().mapToLong(Segment::bytes).sum());
    }
  }
}
