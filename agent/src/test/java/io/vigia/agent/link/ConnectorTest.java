package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.proto.Frame;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectorTest {

  private static final InetSocketAddress PRIMARY =
      InetSocketAddress.createUnresolved("collector-a", 7070);
  private static final InetSocketAddress FALLBACK =
      InetSocketAddress.createUnresolved("collector-b", 7070);
  private static final Duration PRIMARY_CHECK_EVERY = Duration.ofMinutes(1);

  /** Collectors that accept or refuse at once; every connection is an EmbeddedChannel. */
  private static final class FakeDialer implements Dialer {
    final List<String> dialed = new ArrayList<>();
    final Set<InetSocketAddress> down = new HashSet<>();
    final List<EmbeddedChannel> links = new ArrayList<>();
    final List<EmbeddedChannel> all = new ArrayList<>();

    @Override
    public ChannelFuture link(InetSocketAddress collector) {
      dialed.add("link " + collector.getHostString());
      return dial(collector, links);
    }

    @Override
    public ChannelFuture probe(InetSocketAddress collector) {
      dialed.add("probe " + collector.getHostString());
      return dial(collector, new ArrayList<>());
    }

    private ChannelFuture dial(InetSocketAddress collector, List<EmbeddedChannel> into) {
      EmbeddedChannel ch = new EmbeddedChannel();
      all.add(ch);
      if (down.contains(collector)) {
        ch.close();
        return ch.newFailedFuture(new ConnectException("Connection refused"));
      }
      into.add(ch);
      return ch.newSucceededFuture();
    }

    EmbeddedChannel lastLink() {
      return links.get(links.size() - 1);
    }
  }

  private final FakeDialer dialer = new FakeDialer();

  /** Only its event loop is used: the connector's scheduler, on a clock that stands still. */
  private final EmbeddedChannel clock = new EmbeddedChannel();

  private final List<Channel> lost = new ArrayList<>();
  private final Connector connector =
      new Connector(
          dialer,
          new Failover(
              List.of(PRIMARY, FALLBACK),
              // Without jitter: 1 s, 1.6 s, 2.56 s, ... up to 30 s.
              ExponentialBackoff.withDefaults(() -> 0.5)),
          clock.eventLoop(),
          PRIMARY_CHECK_EVERY,
          lost::add);

  ConnectorTest() {
    clock.freezeTime();
  }

  @AfterEach
  void release() {
    dialer.all.forEach(EmbeddedChannel::finishAndReleaseAll);
    clock.finishAndReleaseAll();
  }

  private void advance(Duration by) {
    clock.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
    clock.runPendingTasks();
  }

  /** Connects to the fallback, the primary being down, and has the fallback welcome the link. */
  private EmbeddedChannel welcomedOnTheFallback() {
    dialer.down.add(PRIMARY);
    connector.connect();
    clock.runPendingTasks();
    EmbeddedChannel fallback = dialer.lastLink();
    connector.welcomed(fallback);
    return fallback;
  }

  @Test
  void connectsToThePrimaryFirst() {
    connector.connect();

    assertThat(dialer.dialed).containsExactly("link collector-a");
  }

  @Test
  void anUnreachableCollectorIsFollowedByTheNextAtOnce() {
    dialer.down.add(PRIMARY);

    connector.connect();
    clock.runPendingTasks();

    assertThat(dialer.dialed).containsExactly("link collector-a", "link collector-b");
  }

  @Test
  void whenEveryCollectorIsUnreachableTheyAreTriedAgainAfterTheBackoff() {
    dialer.down.addAll(List.of(PRIMARY, FALLBACK));
    connector.connect();
    clock.runPendingTasks();

    advance(Duration.ofMillis(999));
    assertThat(dialer.dialed).hasSize(2);

    advance(Duration.ofMillis(1));
    assertThat(dialer.dialed)
        .as("the whole round again")
        .containsExactly(
            "link collector-a", "link collector-b", "link collector-a", "link collector-b");
  }

  @Test
  void aLinkClosedBeforeItsWelcomeCountsAsAFailure() {
    connector.connect();

    dialer.lastLink().close();
    clock.runPendingTasks();

    assertThat(dialer.dialed).containsExactly("link collector-a", "link collector-b");
    assertThat(lost).isEmpty();
  }

  @Test
  void aLostLinkIsReportedAndTheNextGoesToThePrimaryAfterTheBackoff() {
    EmbeddedChannel fallback = welcomedOnTheFallback();
    dialer.down.clear();

    fallback.close();
    assertThat(lost).containsExactly(fallback);

    advance(Duration.ofMillis(999));
    assertThat(dialer.dialed).containsExactly("link collector-a", "link collector-b");
    advance(Duration.ofMillis(1));
    assertThat(dialer.dialed).endsWith("link collector-a");
  }

  @Test
  void afterAnotherAgentTookTheIdTheNextAttemptWaitsThirtySeconds() {
    connector.connect();
    EmbeddedChannel link = dialer.lastLink();
    connector.welcomed(link);

    connector.replaced();
    link.close();

    advance(Duration.ofSeconds(29));
    assertThat(dialer.dialed).hasSize(1);
    advance(Duration.ofSeconds(1));
    assertThat(dialer.dialed).hasSize(2);
  }

  @Test
  void onAFallbackThePrimaryIsCheckedEveryPrimaryCheckEvery() {
    welcomedOnTheFallback();

    advance(PRIMARY_CHECK_EVERY.minusMillis(1));
    assertThat(dialer.dialed).doesNotContain("probe collector-a");

    advance(Duration.ofMillis(1));
    assertThat(dialer.dialed).endsWith("probe collector-a");

    advance(PRIMARY_CHECK_EVERY);
    assertThat(dialer.dialed).filteredOn(d -> d.startsWith("probe")).hasSize(2);
  }

  @Test
  void whenThePrimaryIsBackTheFallbackGetsAGoodbyeAndTheNextLinkGoesToThePrimary() {
    EmbeddedChannel fallback = welcomedOnTheFallback();
    dialer.down.clear();

    advance(PRIMARY_CHECK_EVERY);

    Frame goodbye = fallback.readOutbound();
    assertThat(goodbye.getGoodbye().getReason()).isEqualTo("agent moving to its primary collector");
    assertThat(fallback.isOpen()).isFalse();
    assertThat(lost).containsExactly(fallback);
    advance(Duration.ofSeconds(1));
    assertThat(dialer.dialed).endsWith("probe collector-a", "link collector-a");
  }

  @Test
  void onThePrimaryThereIsNoCheck() {
    connector.connect();
    connector.welcomed(dialer.lastLink());

    advance(Duration.ofHours(1));

    assertThat(dialer.dialed).containsExactly("link collector-a");
  }

  @Test
  void aLostLinkStopsTheChecksOfThePrimary() {
    EmbeddedChannel fallback = welcomedOnTheFallback();

    fallback.close();
    advance(PRIMARY_CHECK_EVERY);

    assertThat(dialer.dialed).doesNotContain("probe collector-a");
  }

  @Test
  void afterStopNoAttemptIsScheduled() {
    dialer.down.addAll(List.of(PRIMARY, FALLBACK));
    connector.connect();

    connector.stop();
    advance(Duration.ofHours(1));

    assertThat(dialer.dialed).containsExactly("link collector-a");
  }

  @Test
  void aLinkLostAfterStopIsReportedButNotReplaced() {
    connector.connect();
    EmbeddedChannel link = dialer.lastLink();
    connector.welcomed(link);

    connector.stop();
    link.close();
    advance(Duration.ofHours(1));

    assertThat(lost).containsExactly(link);
    assertThat(dialer.dialed).containsExactly("link collector-a");
  }

  @Test
  void afterStopThePrimaryIsNotChecked() {
    welcomedOnTheFallback();
    dialer.down.clear();

    connector.stop();
    advance(PRIMARY_CHECK_EVERY);

    assertThat(dialer.dialed).doesNotContain("probe collector-a");
  }
}
