package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigia.proto.Frame;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TCP is a byte stream: a read may hold several frames or a piece of one. The classroom server's
 * {@code recv(1024)} took one read for one message; here each frame is stored exactly once however
 * the bytes arrive.
 */
class FramingTest {

  private Fleet fleet;
  private ApiClient api;

  @BeforeEach
  void startCollector() {
    fleet = Fleet.withCollector();
    api = new ApiClient(fleet.apiUrl());
  }

  @AfterEach
  void stopAll() {
    fleet.close();
  }

  @Test
  void severalSnapshotsInOneSegmentAreEachStoredOnce() throws Exception {
    try (RawAgent raw = new RawAgent(fleet.collector().ingestAddress())) {
      Frame[] frames = new Frame[11];
      frames[0] = RawAgent.hello("batch", 4, 1);
      for (int seq = 1; seq <= 10; seq++) {
        frames[seq] = RawAgent.snapshot(seq, 4);
      }
      raw.writeAtOnce(RawAgent.wire(frames));

      assertThat(raw.read().hasWelcome()).isTrue();
      assertThat(raw.awaitAck(10)).isEqualTo(10);
    }
    assertThat(api.seqs("batch")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
  }

  @Test
  void oneSnapshotSplitAcrossManyWritesIsStoredOnce() throws Exception {
    try (RawAgent raw = new RawAgent(fleet.collector().ingestAddress())) {
      raw.writeBytewise(RawAgent.wire(RawAgent.hello("trickle", 16, 1)));
      assertThat(raw.read().hasWelcome()).isTrue();

      raw.writeBytewise(RawAgent.wire(RawAgent.snapshot(1, 16)));
      assertThat(raw.awaitAck(1)).isEqualTo(1);
      raw.writeBytewise(RawAgent.wire(RawAgent.snapshot(2, 16), RawAgent.snapshot(3, 16)));
      assertThat(raw.awaitAck(3)).isEqualTo(3);
    }
    List<Long> seqs = api.seqs("trickle");
    assertThat(seqs).containsExactly(1L, 2L, 3L);
    assertThat(api.history("trickle").get(0).getCorePercentList()).hasSize(16);
  }

  @Test
  void aReplayedSnapshotIsNotStoredTwice() throws Exception {
    try (RawAgent raw = new RawAgent(fleet.collector().ingestAddress())) {
      raw.writeAtOnce(
          RawAgent.wire(
              RawAgent.hello("replayer", 2, 5), RawAgent.snapshot(1, 2), RawAgent.snapshot(2, 2)));
      assertThat(raw.read().hasWelcome()).isTrue();
      raw.awaitAck(2);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fleet.collector().registry().connectedCount() == 0);
    try (RawAgent again = new RawAgent(fleet.collector().ingestAddress())) {
      again.writeAtOnce(RawAgent.wire(RawAgent.hello("replayer", 2, 5)));
      Frame welcome = again.read();
      assertThat(welcome.getWelcome().getLastStoredSeq()).isEqualTo(2);
      again.writeAtOnce(RawAgent.wire(RawAgent.snapshot(2, 2), RawAgent.snapshot(3, 2)));
      assertThat(again.awaitAck(3)).isEqualTo(3);
    }
    assertThat(api.seqs("replayer")).containsExactly(1L, 2L, 3L);
  }
}
