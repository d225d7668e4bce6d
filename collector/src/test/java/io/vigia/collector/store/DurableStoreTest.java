package io.vigia.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigia.journal.JournalFormat;
import io.vigia.journal.JournalReader;
import io.vigia.journal.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableStoreTest {

  private static final byte[] HOST = "web-1".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;

  private final Recorded recovered = new Recorded();

  private Store open(StoreConfig config) throws IOException {
    return Store.open(config, recovered, InstantSource.system());
  }

  private StoreConfig config() {
    return StoreConfig.onDisk(dir, FsyncPolicy.BATCH);
  }

  @Test
  void whatWasLoggedComesBackInOrderAfterARestart() throws Exception {
    try (Store store = open(config())) {
      store.hello("web-1", 1000, "10.0.0.1:5000", bytes("hello-1"));
      for (int seq = 1; seq <= 3; seq++) {
        store.sample(HOST, 7, 1000 + seq, bytes("snapshot-" + seq));
      }
      store.link("web-1", true, 5000);
    }
    recovered.events.clear();

    try (Store store = open(config())) {
      assertThat(recovered.events)
          .containsExactly(
              "hello web-1 1000 10.0.0.1:5000 hello-1",
              "sample web-1 7 snapshot-1",
              "sample web-1 7 snapshot-2",
              "sample web-1 7 snapshot-3",
              "link web-1 left 5000",
              "done");
      StoreStatus status = store.status();
      assertThat(status.recovery().hosts()).isEqualTo(1);
      assertThat(status.recovery().samples()).isEqualTo(3);
      assertThat(status.oldestSample().toEpochMilli()).isEqualTo(1001);
    }
  }

  @Test
  void aCheckpointMovesTheSamplesIntoTheBlocksAndDeletesTheLogBehindThem() throws Exception {
    StoreConfig small = config().withSegmentBytes(4096).withWalBytes(3 * 4096);
    List<String> sealed = new ArrayList<>();
    int[] stored = {0};
    try (Store store = open(small)) {
      // What a registry does at a checkpoint: every sample stored so far goes into a chunk.
      store.checkpointWith(
          () -> {
            synchronized (sealed) {
              if (stored[0] > sealed.size()) {
                String body = "chunk-to-" + stored[0];
                sealed.add(body);
                store.chunk("web-1", stored[0], 1000, 1000 + stored[0], bytes(body).array());
              }
            }
          });
      store.hello("web-1", 1000, "10.0.0.1:5000", bytes("hello-1"));
      for (int seq = 1; seq <= 1000; seq++) {
        synchronized (sealed) {
          store.sample(HOST, 7, 1000 + seq, bytes("snapshot-" + seq));
          stored[0] = seq;
        }
        if (seq % 20 == 0) {
          awaitDurable(store);
        }
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> store.status().blocks().checkpoints() > 0);
      awaitDurable(store);
      assertThat(store.status().logBytes()).isLessThan(1000 * 20);
    }
    recovered.events.clear();

    try (Store store = open(small)) {
      // Chunks first, oldest first; then what the log still holds, from a segment's start.
      assertThat(recovered.events.get(0)).startsWith("chunk web-1 ");
      assertThat(recovered.events)
          .filteredOn(e -> e.startsWith("chunk"))
          .containsExactlyElementsOf(
              sealed.stream().map(b -> "chunk web-1 " + b.substring(9) + " " + b).toList());
      assertThat(recovered.events).filteredOn(e -> e.startsWith("sample")).hasSizeLessThan(1000);
      assertThat(recovered.events).contains("sample web-1 7 snapshot-1000");
      assertThat(store.status().blocks().chunks()).isEqualTo(sealed.size());
    }
  }

  @Test
  void anActionRunsOnlyOnceWhatWasAppendedBeforeItIsInTheLog() throws Exception {
    try (Store store = open(config())) {
      store.hello("web-1", 1000, "10.0.0.1:5000", bytes("hello-1"));
      store.sample(HOST, 7, 1001, bytes("snapshot-1"));
      CountDownLatch durable = new CountDownLatch(1);
      List<String> seenByTheAction = new ArrayList<>();
      store.whenDurable(
          Runnable::run,
          () -> {
            seenByTheAction.addAll(readLog());
            durable.countDown();
          });

      assertThat(durable.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(seenByTheAction).contains("sample snapshot-1");
    }
  }

  @Test
  void eachSegmentRepeatsTheHostsSoOlderSegmentsCanGo() throws Exception {
    StoreConfig small = config().withSegmentBytes(4096);
    try (Store store = open(small)) {
      store.hello("web-1", 1000, "10.0.0.1:5000", bytes("hello-1"));
      for (int seq = 1; seq <= 1000; seq++) {
        store.sample(HOST, 7, 1000 + seq, bytes("snapshot-" + seq));
        if (seq % 20 == 0) {
          awaitDurable(store); // a commit that crosses the segment size ends the segment
        }
      }
      store.link("web-1", false, 9000);
    }
    recovered.events.clear();
    List<Segment> segments = Segment.list(dir.resolve("wal"));
    assertThat(segments.size()).isGreaterThan(3);
    for (Segment old : segments.subList(0, segments.size() - 2)) {
      Files.delete(old.path());
    }

    try (Store store = open(small)) {
      assertThat(recovered.events).first().asString().startsWith("hello web-1 1000");
      assertThat(recovered.events).contains("sample web-1 7 snapshot-1000", "link web-1 lost 9000");
      assertThat(store.status().recovery().hosts()).isEqualTo(1);
    }
  }

  @Test
  void pastTheSizeBoundTheOldestBlocksAreDeletedAndCounted() throws Exception {
    StoreConfig bounded =
        config().withSegmentBytes(4096).withRetention(Duration.ofDays(7), 3 * 4096);
    try (Store store = open(bounded)) {
      store.hello("web-1", 1000, "10.0.0.1:5000", bytes("hello-1"));
      byte[] body = new byte[500];
      for (int chunk = 1; chunk <= 100; chunk++) {
        store.chunk("web-1", 10, 1000 + chunk, 1000 + chunk, body.clone());
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> store.status().dropped().get("retention_size") > 0);
      StoreStatus status = store.status();
      assertThat(status.blocks().bytes()).isLessThanOrEqualTo(3 * 4096 + 4096);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  store.status().blocks().samples() + store.status().dropped().get("retention_size")
                      == 1000);
    }
  }

  @Test
  void aSecondCollectorOnTheSameDirectoryIsRefusedWithWhatToDo() throws Exception {
    try (Store store = open(config())) {
      assertThatThrownBy(() -> open(config()))
          .isInstanceOf(Store.DataDirectoryException.class)
          .hasMessage(
              "data directory "
                  + dir
                  + " is in use by another running collector (pid "
                  + ProcessHandle.current().pid()
                  + "); stop it, or give this one its own --data-dir");
    }
  }

  @Test
  void aDirectoryThatCannotBeCreatedIsRefusedWithWhatToDo() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");

    assertThatThrownBy(() -> open(StoreConfig.onDisk(file.resolve("data"), FsyncPolicy.BATCH)))
        .isInstanceOf(Store.DataDirectoryException.class)
        .hasMessageStartingWith("cannot use data directory " + file.resolve("data") + ": ")
        .hasMessageEndingWith("; make it writable by this user, or choose another with --data-dir");
  }

  @Test
  void aLogOfANewerFormatIsRefusedWithWhatToDo() throws Exception {
    try (Store store = open(config())) {
      store.hello("web-1", 1000, "10.0.0.1:5000", bytes("hello-1"));
    }
    Path first = Segment.list(dir.resolve("wal")).get(0).path();
    byte[] bytes = Files.readAllBytes(first);
    bytes[5] = 9;
    Files.write(first, bytes);

    assertThatThrownBy(() -> open(config()))
        .isInstanceOf(Store.DataDirectoryException.class)
        .hasMessageContaining("journal format version 9, newer than this program reads (1)");
  }

  // ---------------------------------------------------------------------------------------------

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void awaitDurable(Store store) throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(1);
    store.whenDurable(Runnable::run, latch::countDown);
    assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
  }

  /** The log's records as "type payload-tail", read directly, while the store may be open. */
  private List<String> readLog() {
    List<String> records = new ArrayList<>();
    try {
      JournalReader.read(
          dir.resolve("wal"),
          JournalFormat.Kind.COLLECTOR_WAL,
          DurableStore.MAX_PAYLOAD_BYTES,
          false,
          (type, payload, segment, offset) -> {
            ByteBuffer record = payload.duplicate();
            WalRecords.string(record);
            if (type == WalRecords.SAMPLE) {
              WalRecords.getVarint(record);
              WalRecords.getVarint(record);
              records.add("sample " + StandardCharsets.UTF_8.decode(record));
            } else {
              records.add(type == WalRecords.HELLO ? "hello" : "link");
            }
          });
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return records;
  }

  private static final class Recorded implements Store.Recovery {
    final List<String> events = new ArrayList<>();

    @Override
    public void chunk(String hostId, int samples, ByteBuffer body) {
      events.add("chunk " + hostId + " " + samples + " " + StandardCharsets.UTF_8.decode(body));
    }

    @Override
    public void hello(String hostId, long timeMillis, String address, ByteBuffer hello) {
      events.add(
          "hello "
              + hostId
              + " "
              + timeMillis
              + " "
              + address
              + " "
              + StandardCharsets.UTF_8.decode(hello));
    }

    @Override
    public Outcome sample(String hostId, long epoch, ByteBuffer snapshot) {
      events.add("sample " + hostId + " " + epoch + " " + StandardCharsets.UTF_8.decode(snapshot));
      return Outcome.RESTORED;
    }

    @Override
    public void link(String hostId, boolean left, long timeMillis) {
      events.add("link " + hostId + (left ? " left " : " lost ") + timeMillis);
    }

    @Override
    public long done() {
      events.add("done");
      return 0;
    }
  }
}
