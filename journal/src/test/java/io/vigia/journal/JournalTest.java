package io.vigia.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigia.journal.JournalFormat.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

  private static final int MAX = 4096;

  @TempDir Path dir;

  @Test
  void recordsComeBackInOrderAcrossSegments() throws IOException {
    List<String> written = write(dir, 500, 1024);

    Read read = read(dir, false);

    assertThat(read.records).containsExactlyElementsOf(written);
    assertThat(read.summary.segments()).isGreaterThan(5);
    assertThat(read.summary.tornBytes()).isZero();
    assertThat(read.summary.corruptRegions()).isZero();
  }

  @Test
  void aSegmentNeverHoldsPartOfARecordAndStopsNearItsSize() throws IOException {
    write(dir, 500, 1024);
    List<Segment> segments = Segment.list(dir);
    for (Segment segment : segments.subList(0, segments.size() - 1)) {
      // a commit that crosses the size ends the segment: at most one batch beyond it
      assertThat(segment.bytes()).isBetween(1024L, 1024L + 400);
    }
  }

  @Test
  void aTailCutAtAnyOffsetLosesOnlyTheUnfinishedRecordAndIsRepaired() throws IOException {
    List<String> written = write(dir, 40, 1 << 20);
    Path segment = Segment.list(dir).get(0).path();
    byte[] whole = Files.readAllBytes(segment);
    for (int cut = JournalFormat.HEADER_BYTES; cut < whole.length; cut++) {
      Files.write(segment, java.util.Arrays.copyOf(whole, cut));

      Read read = read(dir, true);

      assertThat(read.records).isEqualTo(written.subList(0, read.records.size()));
      assertThat(read.records.size())
          .isGreaterThanOrEqualTo(written.size() - 1 - (whole.length - cut) / 9);
      long kept = recordBytes(read.records);
      assertThat(read.summary.tornBytes()).isEqualTo(cut - JournalFormat.HEADER_BYTES - kept);
      assertThat(Files.size(segment)).isEqualTo(JournalFormat.HEADER_BYTES + kept);
      assertThat(read(dir, true).summary.tornBytes()).isZero();
    }
  }

  @Test
  void aRepairedJournalTakesNewRecordsAfterTheGoodOnes() throws IOException {
    List<String> written = write(dir, 30, 1 << 20);
    Path segment = Segment.list(dir).get(0).path();
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() - 3);
    }
    read(dir, true);
    List<String> more = write(dir, 5, 1 << 20);

    Read read = read(dir, false);

    List<String> expected = new ArrayList<>(written.subList(0, written.size() - 1));
    expected.addAll(more);
    assertThat(read.records).containsExactlyElementsOf(expected);
    assertThat(read.summary.tornBytes()).isZero();
    assertThat(read.summary.corruptRegions()).isZero();
  }

  @Test
  void aFlippedByteCostsOnlyTheRecordItLandsInAndIsReportedWithItsPlace() throws IOException {
    List<String> written = write(dir, 200, 1 << 20);
    Path segment = Segment.list(dir).get(0).path();
    byte[] whole = Files.readAllBytes(segment);
    Random random = new Random(42);
    for (int trial = 0; trial < 300; trial++) {
      int at =
          JournalFormat.HEADER_BYTES + random.nextInt(whole.length - JournalFormat.HEADER_BYTES);
      byte[] damaged = whole.clone();
      damaged[at] ^= (byte) (1 << random.nextInt(8));
      Files.write(segment, damaged);

      Read read = read(dir, false);

      int lost = written.size() - read.records.size();
      assertThat(written).containsAll(read.records);
      assertThat(lost).as("flip at %d", at).isBetween(0, 1);
      if (lost == 1 && at < whole.length - 40) {
        assertThat(read.damage).hasSize(1);
        assertThat(read.damage.get(0).file()).isEqualTo(segment);
        assertThat(read.damage.get(0).offset()).isLessThanOrEqualTo(at);
        assertThat(read.damage.get(0).offset() + read.damage.get(0).length()).isGreaterThan(at);
      }
    }
  }

  @Test
  void aSegmentWhoseCreationDidNotFinishIsEmpty() throws IOException {
    List<String> written = write(dir, 10, 1 << 20);
    Files.write(dir.resolve(JournalFormat.fileName(2)), new byte[] {0x56, 0x47});

    Read read = read(dir, true);

    assertThat(read.records).containsExactlyElementsOf(written);
    assertThat(read.summary.tornBytes()).isEqualTo(2);
  }

  @Test
  void aNewerFormatIsRefusedWithWhatToDo() throws IOException {
    write(dir, 3, 1 << 20);
    Path segment = Segment.list(dir).get(0).path();
    byte[] bytes = Files.readAllBytes(segment);
    bytes[5] = 2; // version 2
    Files.write(segment, bytes);

    assertThatThrownBy(() -> read(dir, false))
        .isInstanceOf(JournalFormatException.class)
        .hasMessageContaining("version 2, newer than this program reads (1)")
        .hasMessageContaining("run a newer release");
  }

  @Test
  void anotherKindOfJournalIsRefused() throws IOException {
    write(dir, 3, 1 << 20);

    assertThatThrownBy(
            () -> JournalReader.read(dir, Kind.AGENT_SPOOL, MAX, false, (t, p, s, o) -> {}))
        .isInstanceOf(JournalFormatException.class)
        .hasMessageContaining("holds COLLECTOR_WAL, not AGENT_SPOOL");
  }

  @Test
  void aWriterStartsANewSegmentAndNeverAppendsToAnOldOne() throws IOException {
    write(dir, 3, 1 << 20);
    long before = Segment.list(dir).get(0).bytes();
    write(dir, 3, 1 << 20);

    List<Segment> segments = Segment.list(dir);
    assertThat(segments).extracting(Segment::number).containsExactly(1L, 2L);
    assertThat(segments.get(0).bytes()).isEqualTo(before);
  }

  @Test
  void onNewSegmentRecordsComeFirstInEachLaterSegment() throws IOException {
    try (JournalWriter writer = JournalWriter.open(dir, Kind.COLLECTOR_WAL, 256, MAX)) {
      writer.onNewSegment(() -> append(writer, "preamble"));
      for (int i = 0; i < 50; i++) {
        append(writer, "r" + i);
        writer.commit(false);
      }
    }
    List<Long> firstOffsets = new ArrayList<>();
    List<String> firsts = new ArrayList<>();
    JournalReader.read(
        dir,
        Kind.COLLECTOR_WAL,
        MAX,
        false,
        (type, payload, segment, offset) -> {
          if (offset == JournalFormat.HEADER_BYTES) {
            firstOffsets.add(segment);
            firsts.add(StandardCharsets.UTF_8.decode(payload).toString());
          }
        });
    assertThat(firsts.subList(1, firsts.size())).isNotEmpty().allMatch("preamble"::equals);
  }

  @Test
  void aRecordIsReadBackAtTheOffsetTheReaderGaveAndABadOneIsNull() throws IOException {
    List<String> written = write(dir, 30, 1 << 20);
    List<Long> offsets = new ArrayList<>();
    JournalReader.read(
        dir,
        Kind.COLLECTOR_WAL,
        MAX,
        false,
        (type, payload, segment, offset) -> offsets.add(offset));
    Path file = Segment.list(dir).get(0).path();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (int i = 0; i < written.size(); i++) {
        JournalReader.Record record = JournalReader.readAt(ch, offsets.get(i), MAX);
        assertThat(new String(record.payload(), StandardCharsets.UTF_8)).isEqualTo(written.get(i));
        assertThat(record.type()).isEqualTo(1 + written.get(i).length() % 5);
      }
      assertThat(JournalReader.readAt(ch, offsets.get(3) + 1, MAX)).isNull();
      assertThat(JournalReader.readAt(ch, Files.size(file), MAX)).isNull();
    }
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, offsets.get(5) + 12);
      one.put(0, (byte) (one.get(0) ^ 0x40));
      ch.write(one.flip(), offsets.get(5) + 12);
      assertThat(JournalReader.readAt(ch, offsets.get(5), MAX)).isNull();
      assertThat(JournalReader.readAt(ch, offsets.get(6), MAX)).isNotNull();
    }
  }

  @Test
  void aSecondLockOnOneDirectoryIsRefused() throws IOException {
    try (DirectoryLock lock = DirectoryLock.acquire(dir)) {
      assertThatThrownBy(() -> DirectoryLock.acquire(dir))
          .isInstanceOf(DirectoryLock.HeldException.class)
          .hasMessageContaining(
              "in use by another running process (pid " + ProcessHandle.current().pid() + ")");
    }
    DirectoryLock.acquire(dir).close();
  }

  // ---------------------------------------------------------------------------------------------

  private static List<String> write(Path dir, int count, long segmentBytes) throws IOException {
    List<String> written = new ArrayList<>();
    Random random = new Random(count);
    try (JournalWriter writer = JournalWriter.open(dir, Kind.COLLECTOR_WAL, segmentBytes, MAX)) {
      for (int i = 0; i < count; i++) {
        String record = "record-" + i + "-" + "x".repeat(random.nextInt(40));
        append(writer, record);
        written.add(record);
        if (random.nextInt(3) == 0) {
          writer.commit(random.nextBoolean());
        }
      }
      writer.commit(true);
    }
    return written;
  }

  private static void append(JournalWriter writer, String record) {
    writer.append(
        1 + record.length() % 5, ByteBuffer.wrap(record.getBytes(StandardCharsets.UTF_8)));
  }

  private static long recordBytes(List<String> records) {
    return records.stream().mapToLong(r -> JournalFormat.RECORD_HEADER_BYTES + r.length()).sum();
  }

  private record Read(
      JournalReader.Summary summary, List<String> records, List<JournalReader.Damage> damage) {}

  private static Read read(Path dir, boolean repair) throws IOException {
    List<String> records = new ArrayList<>();
    List<JournalReader.Damage> damage = new ArrayList<>();
    JournalReader.Summary summary =
        JournalReader.read(
            dir,
            Kind.COLLECTOR_WAL,
            MAX,
            repair,
            new JournalReader.Visitor() {
              @Override
              public void record(int type, ByteBuffer payload, long segment, long offset) {
                String record = StandardCharsets.UTF_8.decode(payload).toString();
                assertThat(type).isEqualTo(1 + record.length() % 5);
                records.add(record);
              }

              @Override
              public void damaged(JournalReader.Damage d) {
                damage.add(d);
              }
            });
    return new Read(summary, records, damage);
  }
}
