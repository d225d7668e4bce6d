package io.vigia.collector.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HostRegistryTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final HostRegistry registry = new HostRegistry(100, clock);

  private static HostIdentity identity(String id, long epoch, int cores) {
    return new HostIdentity(id, id + ".example.org", "Linux", cores, "0.1.0", epoch, 1000);
  }

  private static HostIdentity identity(String id, long epoch) {
    return identity(id, epoch, 2);
  }

  private static StoredSample sample(long epoch, long seq, int cores) {
    int[] perCore = new int[cores];
    Arrays.fill(perCore, 500);
    return new StoredSample(
        epoch,
        seq,
        T0.plusSeconds(seq),
        1000,
        new CpuFigures(500, perCore, 400, 0, 100, 0, 0, 0, 0, 500));
  }

  private static StoredSample sample(long epoch, long seq) {
    return sample(epoch, seq, 2);
  }

  private List<Long> storedSeqs(String id) {
    return registry.history(id, Integer.MAX_VALUE).orElseThrow().stream()
        .map(StoredSample::seq)
        .toList();
  }

  private HostView view(String id) {
    return registry.host(id).orElseThrow();
  }

  @Test
  void aNewEpochConnectsWithNothingStored() {
    HostRegistry.Connected connected = registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");

    assertThat(connected.lastStoredSeq()).isZero();
    assertThat(connected.connectedHosts()).isEqualTo(1);
    HostView host = view("web-1");
    assertThat(host.state()).isEqualTo(LinkState.CONNECTED);
    assertThat(host.address()).isEqualTo("10.0.0.1:5000");
    assertThat(host.stateSince()).isEqualTo(T0);
    assertThat(host.lastSeen()).isEqualTo(T0);
    assertThat(host.samples()).isZero();
    assertThat(host.latest()).isEmpty();
  }

  @Test
  void reconnectingInTheSameEpochReturnsTheHighestStoredSeq() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1));
    registry.append(1, "web-1", sample(10, 2));
    registry.append(1, "web-1", sample(10, 3));
    registry.disconnect(1, "web-1", false);

    HostRegistry.Connected again = registry.connect(2, identity("web-1", 10), "10.0.0.1:5001");

    assertThat(again.lastStoredSeq()).isEqualTo(3);
    assertThat(view("web-1").address()).isEqualTo("10.0.0.1:5001");
  }

  @Test
  void appendStoresNewSamplesAndCountsThem() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");

    assertThat(registry.append(1, "web-1", sample(10, 1))).isTrue();
    assertThat(registry.append(1, "web-1", sample(10, 2))).isTrue();

    HostView host = view("web-1");
    assertThat(host.samples()).isEqualTo(2);
    assertThat(host.lastSeq()).isEqualTo(2);
    assertThat(host.latest()).contains(sample(10, 2));
  }

  @Test
  void aDuplicateIsNotStoredTwice() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1));
    registry.append(1, "web-1", sample(10, 2));

    assertThat(registry.append(1, "web-1", sample(10, 2))).isFalse();
    assertThat(registry.append(1, "web-1", sample(10, 1))).isFalse();

    assertThat(storedSeqs("web-1")).containsExactly(1L, 2L);
    assertThat(view("web-1").samples()).isEqualTo(2);
  }

  @Test
  void aReplayOnANewLinkOfTheSameEpochIsNotStoredTwice() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1));
    registry.append(1, "web-1", sample(10, 2));
    registry.disconnect(1, "web-1", false);
    registry.connect(2, identity("web-1", 10), "10.0.0.1:5001");

    assertThat(registry.append(2, "web-1", sample(10, 2))).isFalse();
    assertThat(registry.append(2, "web-1", sample(10, 3))).isTrue();

    assertThat(storedSeqs("web-1")).containsExactly(1L, 2L, 3L);
  }

  @Test
  void aNewEpochRestartsSequencesAtOneAndKeepsTheOlderHistory() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1));
    registry.append(1, "web-1", sample(10, 2));
    registry.disconnect(1, "web-1", true);

    HostRegistry.Connected restarted = registry.connect(2, identity("web-1", 11), "10.0.0.1:5001");

    assertThat(restarted.lastStoredSeq()).isZero();
    assertThat(registry.append(2, "web-1", sample(11, 1))).isTrue();
    List<StoredSample> history = registry.history("web-1", 10).orElseThrow();
    assertThat(history)
        .extracting(StoredSample::epoch, StoredSample::seq)
        .containsExactly(tuple(10L, 1L), tuple(10L, 2L), tuple(11L, 1L));
    assertThat(view("web-1").lastSeq()).isEqualTo(1);
  }

  @Test
  void aLinkBackInAnEarlierEpochResumesAfterItsLastSequenceSoAReplayIsStoredOnce() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1));
    registry.append(1, "web-1", sample(10, 2));
    registry.disconnect(1, "web-1", true);
    registry.connect(2, identity("web-1", 11), "10.0.0.1:5001");
    registry.append(2, "web-1", sample(11, 1));
    registry.disconnect(2, "web-1", true);

    // A restarted agent delivers what its spool kept of epoch 10, then of 11, each on its link.
    HostRegistry.Connected replay = registry.connect(3, identity("web-1", 10), "10.0.0.1:5002");
    assertThat(replay.lastStoredSeq()).isEqualTo(2);
    assertThat(registry.append(3, "web-1", sample(10, 2))).isFalse();
    assertThat(registry.append(3, "web-1", sample(10, 3))).isTrue();
    registry.disconnect(3, "web-1", true);
    assertThat(registry.connect(4, identity("web-1", 11), "10.0.0.1:5003").lastStoredSeq())
        .isEqualTo(1);

    assertThat(registry.history("web-1", 10).orElseThrow())
        .extracting(StoredSample::epoch, StoredSample::seq)
        .containsExactly(tuple(10L, 1L), tuple(10L, 2L), tuple(11L, 1L), tuple(10L, 3L));
    assertThat(view("web-1").delivery().duplicates()).isEqualTo(1);
  }

  @Test
  void onlyTheNewestEarlierEpochsAreRemembered() {
    for (long epoch = 1; epoch <= Host.EARLIER_EPOCHS + 2; epoch++) {
      registry.connect(epoch, identity("web-1", epoch), "10.0.0.1:5000");
      registry.append(epoch, "web-1", sample(epoch, 1));
      registry.disconnect(epoch, "web-1", true);
    }

    assertThat(registry.connect(100, identity("web-1", 1), "a").lastStoredSeq()).isZero();
    assertThat(registry.connect(101, identity("web-1", 5), "a").lastStoredSeq()).isEqualTo(1);
  }

  @Test
  void aSampleFromAnotherEpochThanTheLinksIsRefused() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");

    assertThat(registry.append(1, "web-1", sample(9, 5))).isFalse();
    assertThat(view("web-1").samples()).isZero();
  }

  @Test
  void disconnectWithoutGoodbyeMarksTheHostLostAndKeepsItsHistory() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1));
    registry.append(1, "web-1", sample(10, 2));
    clock.advance(Duration.ofSeconds(30));

    OptionalInt stillConnected = registry.disconnect(1, "web-1", false);

    assertThat(stillConnected).hasValue(0);
    HostView host = view("web-1");
    assertThat(host.state()).isEqualTo(LinkState.LOST);
    assertThat(host.stateSince()).isEqualTo(T0.plusSeconds(30));
    assertThat(host.samples()).isEqualTo(2);
    assertThat(storedSeqs("web-1")).containsExactly(1L, 2L);
  }

  @Test
  void disconnectAfterGoodbyeMarksTheHostLeftAndKeepsItsHistory() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1));

    assertThat(registry.disconnect(1, "web-1", true)).hasValue(0);

    HostView host = view("web-1");
    assertThat(host.state()).isEqualTo(LinkState.LEFT);
    assertThat(host.samples()).isEqualTo(1);
    assertThat(storedSeqs("web-1")).containsExactly(1L);
  }

  @Test
  void lastSeenFollowsTheLatestFrameWhileStateSinceStaysAtTheHandshake() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    clock.advance(Duration.ofSeconds(5));
    registry.append(1, "web-1", sample(10, 1));

    HostView host = view("web-1");
    assertThat(host.lastSeen()).isEqualTo(T0.plusSeconds(5));
    assertThat(host.stateSince()).isEqualTo(T0);
  }

  @Test
  void aSecondLinkForTheSameIdTakesOverAndTheOldLinkCanNoLongerAppend() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1));

    HostRegistry.Connected second = registry.connect(2, identity("web-1", 10), "10.0.0.2:6000");

    assertThat(second.lastStoredSeq()).isEqualTo(1);
    assertThat(second.connectedHosts()).isEqualTo(1);
    assertThat(registry.append(1, "web-1", sample(10, 2))).isFalse();
    assertThat(registry.append(2, "web-1", sample(10, 2))).isTrue();
    assertThat(storedSeqs("web-1")).containsExactly(1L, 2L);
    assertThat(view("web-1").address()).isEqualTo("10.0.0.2:6000");
  }

  @Test
  void aTakeoverClosesTheReplacedLinkAndNamesItsAddress() {
    List<String> closed = new java.util.ArrayList<>();
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000", () -> closed.add("link 1"));

    HostRegistry.Connected second =
        registry.connect(2, identity("web-1", 10), "10.0.0.2:6000", () -> closed.add("link 2"));

    assertThat(closed).containsExactly("link 1");
    assertThat(second.replacedAddress()).isEqualTo("10.0.0.1:5000");
    assertThat(view("web-1").delivery().links()).isEqualTo(2);
  }

  @Test
  void aLinkAfterADisconnectReplacesNothing() {
    List<String> closed = new java.util.ArrayList<>();
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000", () -> closed.add("link 1"));
    registry.disconnect(1, "web-1", false);

    HostRegistry.Connected again = registry.connect(2, identity("web-1", 10), "10.0.0.1:5001");

    assertThat(closed).isEmpty();
    assertThat(again.replacedAddress()).isNull();
  }

  @Test
  void duplicatesAndTheAgentsSpoolDropsAreCounted() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1), 0);
    registry.append(1, "web-1", sample(10, 1), 0);
    registry.append(1, "web-1", sample(10, 9), 7);
    registry.append(1, "web-1", sample(10, 10), 5); // an older figure never lowers the count

    assertThat(view("web-1").delivery().duplicates()).isEqualTo(1);
    assertThat(view("web-1").delivery().spoolDropped()).isEqualTo(7);
    assertThat(storedSeqs("web-1")).containsExactly(1L, 9L, 10L);
  }

  @Test
  void aNewEpochStartsTheSpoolDropCountAfresh() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1), 3);

    registry.connect(2, identity("web-1", 11), "10.0.0.1:5001");

    assertThat(view("web-1").delivery().spoolDropped()).isZero();
  }

  @Test
  void theReplacedLinkClosingDoesNotChangeTheHostsState() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.connect(2, identity("web-1", 10), "10.0.0.2:6000");

    assertThat(registry.disconnect(1, "web-1", false)).isEmpty();

    assertThat(view("web-1").state()).isEqualTo(LinkState.CONNECTED);
    assertThat(view("web-1").address()).isEqualTo("10.0.0.2:6000");
    assertThat(registry.connectedCount()).isEqualTo(1);
  }

  @Test
  void theCurrentLinkClosingAfterAReplacementCountsOnce() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.connect(2, identity("web-1", 10), "10.0.0.2:6000");
    registry.disconnect(1, "web-1", false);

    assertThat(registry.disconnect(2, "web-1", false)).hasValue(0);
    assertThat(registry.disconnect(2, "web-1", false)).isEmpty();

    assertThat(registry.connectedCount()).isZero();
    assertThat(view("web-1").state()).isEqualTo(LinkState.LOST);
  }

  @Test
  void connectedCountIsExactAcrossConnectReplaceAndDisconnect() {
    assertThat(registry.connect(1, identity("a", 1), "10.0.0.1:1").connectedHosts()).isEqualTo(1);
    assertThat(registry.connect(2, identity("b", 1), "10.0.0.2:1").connectedHosts()).isEqualTo(2);
    assertThat(registry.connect(3, identity("c", 1), "10.0.0.3:1").connectedHosts()).isEqualTo(3);
    // b's agent reconnects before its old link is noticed as closed.
    assertThat(registry.connect(4, identity("b", 1), "10.0.0.2:2").connectedHosts()).isEqualTo(3);
    assertThat(registry.connectedCount()).isEqualTo(3);

    assertThat(registry.disconnect(2, "b", false)).isEmpty();
    assertThat(registry.disconnect(1, "a", true)).hasValue(2);
    assertThat(registry.disconnect(4, "b", false)).hasValue(1);
    assertThat(registry.connectedCount()).isEqualTo(1);

    // a comes back after it left.
    assertThat(registry.connect(5, identity("a", 2), "10.0.0.1:2").connectedHosts()).isEqualTo(2);
    assertThat(registry.connectedCount()).isEqualTo(2);
  }

  @Test
  void disconnectOfAnUnknownHostChangesNothing() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");

    assertThat(registry.disconnect(1, "nobody", false)).isEmpty();
    assertThat(registry.connectedCount()).isEqualTo(1);
  }

  @Test
  void appendForAnUnknownHostIsRefused() {
    assertThat(registry.append(1, "nobody", sample(10, 1))).isFalse();
    assertThat(registry.hosts()).isEmpty();
  }

  @Test
  void hostsAreListedSortedById() {
    registry.connect(1, identity("web-2", 1), "10.0.0.2:1");
    registry.connect(2, identity("db-1", 1), "10.0.0.3:1");
    registry.connect(3, identity("web-10", 1), "10.0.0.4:1");
    registry.connect(4, identity("app", 1), "10.0.0.5:1");

    assertThat(registry.hosts())
        .extracting(HostView::id)
        .containsExactly("app", "db-1", "web-10", "web-2");
  }

  @Test
  void historyOfAnUnknownIdIsEmpty() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");

    assertThat(registry.history("nobody", 10)).isEmpty();
    assertThat(registry.host("nobody")).isEmpty();
  }

  @Test
  void historyReturnsTheNewestSamplesOldestFirst() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    for (long seq = 1; seq <= 5; seq++) {
      registry.append(1, "web-1", sample(10, seq));
    }

    assertThat(registry.history("web-1", 2).orElseThrow())
        .extracting(StoredSample::seq)
        .containsExactly(4L, 5L);
  }

  @Test
  void historyKeepsOnlyTheConfiguredNumberOfSamples() {
    HostRegistry small = new HostRegistry(3, clock);
    small.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    for (long seq = 1; seq <= 5; seq++) {
      small.append(1, "web-1", sample(10, seq));
    }

    assertThat(small.history("web-1", 10).orElseThrow())
        .extracting(StoredSample::seq)
        .containsExactly(3L, 4L, 5L);
    assertThat(small.host("web-1").orElseThrow().samples()).isEqualTo(3);
  }

  @Test
  void aChangedCoreCountStartsANewHistory() {
    registry.connect(1, identity("web-1", 10, 2), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1, 2));
    registry.append(1, "web-1", sample(10, 2, 2));
    registry.disconnect(1, "web-1", true);

    registry.connect(2, identity("web-1", 11, 8), "10.0.0.1:5001");

    assertThat(view("web-1").samples()).isZero();
    assertThat(view("web-1").identity().cores()).isEqualTo(8);
    assertThat(registry.append(2, "web-1", sample(11, 1, 8))).isTrue();
    assertThat(registry.history("web-1", 10).orElseThrow())
        .singleElement()
        .satisfies(s -> assertThat(s.cpu().cores()).isEqualTo(8));
  }

  @Test
  void viewsAreSnapshotsThatLaterAppendsDoNotChange() {
    registry.connect(1, identity("web-1", 10), "10.0.0.1:5000");
    registry.append(1, "web-1", sample(10, 1));
    HostView before = view("web-1");
    List<StoredSample> historyBefore = registry.history("web-1", 10).orElseThrow();

    registry.append(1, "web-1", sample(10, 2));

    assertThat(before.samples()).isEqualTo(1);
    assertThat(historyBefore).hasSize(1);
  }

  @Test
  void aReaderNeverSeesAHostWhoseFirstHandshakeIsStillUnderway() {
    // The clock is read inside connect(); a reader that runs at that moment stands in for an
    // HTTP request on another thread.
    List<List<HostView>> seenDuringConnect = new ArrayList<>();
    AtomicReference<HostRegistry> watched = new AtomicReference<>();
    InstantSource peekingClock =
        () -> {
          seenDuringConnect.add(watched.get().hosts());
          return T0;
        };
    watched.set(new HostRegistry(10, peekingClock));

    watched.get().connect(1, identity("web-1", 10), "10.0.0.1:5000");

    assertThat(seenDuringConnect).isNotEmpty();
    assertThat(seenDuringConnect)
        .allSatisfy(
            hosts ->
                assertThat(hosts)
                    .allSatisfy(
                        host -> {
                          assertThat(host.state()).isNotNull();
                          assertThat(host.address()).isNotNull();
                          assertThat(host.lastSeen()).isNotNull();
                        }));
  }

  @Test
  void sealedChunksRestoreTheHistoryAndMakeReplaysOfTheirSamplesCopies() {
    List<java.nio.ByteBuffer> sealed = new ArrayList<>();
    registry.persistChunks(
        (host, samples, min, max, body) -> sealed.add(java.nio.ByteBuffer.wrap(body)));
    registry.connect(1, identity("web-1", 9), "10.0.0.1:5000");
    for (long seq = 1; seq <= 30; seq++) {
      registry.append(1, "web-1", sample(9, seq)); // an earlier run of the agent
    }
    registry.connect(2, identity("web-1", 10), "10.0.0.1:5001");
    for (long seq = 1; seq <= 130; seq++) {
      registry.append(2, "web-1", sample(10, seq));
    }
    registry.sealChunks();
    List<StoredSample> before = registry.history("web-1", 100).orElseThrow();

    HostRegistry restarted = new HostRegistry(100, clock);
    assertThat(restarted.restoreHello(identity("web-1", 10), "10.0.0.1:5001", T0)).isTrue();
    int adopted = restarted.restoreChunks("web-1", sealed, new long[0]);

    assertThat(adopted).isEqualTo(100);
    assertThat(restarted.history("web-1", 100).orElseThrow()).isEqualTo(before);
    assertThat(restarted.host("web-1").orElseThrow().latest()).contains(before.get(99));
    assertThat(restarted.restoreSample("web-1", sample(10, 130), 0))
        .isEqualTo(HostRegistry.Restored.ALREADY_STORED);
    assertThat(restarted.restoreSample("web-1", sample(10, 131), 0))
        .isEqualTo(HostRegistry.Restored.STORED);
    // The earlier epoch's replay is recognised too, though its samples left memory.
    HostRegistry.Connected old = restarted.connect(3, identity("web-1", 9), "10.0.0.1:5002");
    assertThat(old.lastStoredSeq()).isEqualTo(30);
  }
}
