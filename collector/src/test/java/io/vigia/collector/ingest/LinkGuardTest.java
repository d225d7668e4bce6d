package io.vigia.collector.ingest;

import static io.vigia.collector.ingest.SessionHandlerTest.hello;
import static io.vigia.collector.ingest.SessionHandlerTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link LinkGuard} alone: what it lets through, and what it answers with an Error. */
class LinkGuardTest {

  private static final InetSocketAddress FROM = new InetSocketAddress("192.0.2.7", 40000);

  private long now = 1_000_000_000L;

  private EmbeddedChannel link(LinkGuards guards, LinkCounts counts) {
    return new EmbeddedChannel(new LinkGuard(guards, counts, () -> now)) {
      @Override
      protected SocketAddress remoteAddress0() {
        return FROM;
      }
    };
  }

  private static Frame helloWithToken(String token) {
    Frame hello = hello("web-1", 2);
    return hello.toBuilder()
        .setHello(Hello.newBuilder(hello.getHello()).setToken(token).build())
        .build();
  }

  private static ErrorCode errorWritten(EmbeddedChannel ch) {
    Frame frame = ch.readOutbound();
    assertThat(frame).as("an Error frame").isNotNull();
    assertThat(frame.hasError()).isTrue();
    return frame.getError().getCode();
  }

  @Test
  void theRightTokenPassesTheHelloOn() {
    EmbeddedChannel ch = link(LinkGuards.DEFAULTS.withToken("s3cr3t"), new LinkCounts(10, 10));
    Frame hello = helloWithToken("s3cr3t");

    ch.writeInbound(hello);

    assertThat((Frame) ch.readInbound()).isEqualTo(hello);
    assertThat(ch.isOpen()).isTrue();
    ch.finishAndReleaseAll();
  }

  @Test
  void aWrongOrMissingTokenIsRefusedWithoutPassingAnythingOn() {
    for (String offered : new String[] {"s3cr3u", "", "s3cr3t-and-more"}) {
      EmbeddedChannel ch = link(LinkGuards.DEFAULTS.withToken("s3cr3t"), new LinkCounts(10, 10));

      ch.writeInbound(helloWithToken(offered), snapshot(1, 100, 200));

      assertThat(errorWritten(ch)).isEqualTo(ErrorCode.BAD_TOKEN);
      assertThat((Object) ch.readInbound()).as("nothing reaches the session").isNull();
      assertThat(ch.isOpen()).isFalse();
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void theErrorNeverEchoesEitherToken() {
    EmbeddedChannel ch = link(LinkGuards.DEFAULTS.withToken("s3cr3t"), new LinkCounts(10, 10));
    ch.writeInbound(helloWithToken("guess-123"));
    Frame error = ch.readOutbound();
    assertThat(error.getError().getMessage()).doesNotContain("s3cr3t").doesNotContain("guess-123");
    assertThat(LinkGuards.DEFAULTS.withToken("s3cr3t").toString()).doesNotContain("s3cr3t");
    ch.finishAndReleaseAll();
  }

  @Test
  void withoutATokenConfiguredAnyHelloPasses() {
    EmbeddedChannel ch = link(LinkGuards.DEFAULTS, new LinkCounts(10, 10));
    ch.writeInbound(helloWithToken("whatever"));
    assertThat((Object) ch.readInbound()).isNotNull();
    ch.finishAndReleaseAll();
  }

  @Test
  void linksBeyondTheLimitPerAddressAreRefusedAndFreedSlotsReused() {
    LinkCounts counts = new LinkCounts(100, 2);
    EmbeddedChannel first = link(LinkGuards.DEFAULTS, counts);
    EmbeddedChannel second = link(LinkGuards.DEFAULTS, counts);
    EmbeddedChannel third = link(LinkGuards.DEFAULTS, counts);

    assertThat(first.isOpen()).isTrue();
    assertThat(second.isOpen()).isTrue();
    assertThat(errorWritten(third)).isEqualTo(ErrorCode.TOO_MANY_LINKS_FROM_ADDRESS);
    assertThat(third.isOpen()).isFalse();
    assertThat(counts.from(FROM.getAddress())).isEqualTo(2);

    first.close();
    EmbeddedChannel fourth = link(LinkGuards.DEFAULTS, counts);
    assertThat(fourth.isOpen()).isTrue();
    assertThat(counts.total()).isEqualTo(2);
    for (EmbeddedChannel ch : List.of(first, second, third, fourth)) {
      ch.finishAndReleaseAll();
    }
    assertThat(counts.total()).isZero();
    assertThat(counts.from(FROM.getAddress())).isZero();
  }

  @Test
  void linksBeyondTheTotalAreRefused() {
    LinkCounts counts = new LinkCounts(1, 10);
    EmbeddedChannel first = link(LinkGuards.DEFAULTS, counts);
    EmbeddedChannel second = link(LinkGuards.DEFAULTS, counts);

    assertThat(errorWritten(second)).isEqualTo(ErrorCode.TOO_MANY_LINKS);
    assertThat(counts.total()).isEqualTo(1);
    first.finishAndReleaseAll();
    second.finishAndReleaseAll();
  }

  @Test
  void aBurstWithinTheBucketPassesThenTheRateDecides() {
    LinkGuards guards = new LinkGuards("", 10, 10, 2, 5);
    EmbeddedChannel ch = link(guards, new LinkCounts(10, 10));
    ch.writeInbound(hello("web-1", 2));
    List<Object> passed = new ArrayList<>();
    for (int seq = 1; seq <= 5; seq++) {
      ch.writeInbound(snapshot(seq, 100, 200));
    }
    // Two a second: after 1 s, two more fit.
    now += TimeUnit.SECONDS.toNanos(1);
    ch.writeInbound(snapshot(6, 100, 200), snapshot(7, 100, 200));
    for (Object msg = ch.readInbound(); msg != null; msg = ch.readInbound()) {
      passed.add(msg);
    }
    assertThat(passed).hasSize(1 + 7);
    assertThat(ch.isOpen()).isTrue();

    ch.writeInbound(snapshot(8, 100, 200));

    assertThat(errorWritten(ch)).isEqualTo(ErrorCode.RATE_EXCEEDED);
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void theBucketNeverHoldsMoreThanTheBurst() {
    LinkGuards guards = new LinkGuards("", 10, 10, 100, 3);
    EmbeddedChannel ch = link(guards, new LinkCounts(10, 10));
    ch.writeInbound(hello("web-1", 2));
    now += TimeUnit.HOURS.toNanos(1);
    ch.writeInbound(snapshot(1, 1, 1), snapshot(2, 1, 1), snapshot(3, 1, 1), snapshot(4, 1, 1));
    assertThat(errorWritten(ch)).isEqualTo(ErrorCode.RATE_EXCEEDED);
    ch.finishAndReleaseAll();
  }

  @Test
  void aHelloOrSnapshotBeyondTheConfiguredSizesIsRefused() {
    LinkGuards small = new LinkGuards("", 10, 10, 10, 10, 2, 0, 64);
    EmbeddedChannel big = link(small, new LinkCounts(10, 10));
    big.writeInbound(hello("web-1", 3));
    assertThat(errorWritten(big)).isEqualTo(ErrorCode.INVALID_MESSAGE);
    big.finishAndReleaseAll();

    EmbeddedChannel chatty = link(small, new LinkCounts(10, 10));
    chatty.writeInbound(hello("web-1", 2), snapshot(1, 1, 2, 3));
    assertThat((Object) chatty.readInbound()).as("the Hello passed").isNotNull();
    assertThat(errorWritten(chatty)).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat((Object) chatty.readInbound()).isNull();
    chatty.finishAndReleaseAll();

    EmbeddedChannel wordy = link(small, new LinkCounts(10, 10));
    Frame hello = hello("web-1", 2);
    wordy.writeInbound(
        hello.toBuilder().setHello(hello.getHello().toBuilder().setOs("x".repeat(65))).build());
    Frame error = wordy.readOutbound();
    assertThat(error.getError().getCode()).isEqualTo(ErrorCode.INVALID_MESSAGE);
    assertThat(error.getError().getMessage()).contains("--max-text-length");
    wordy.finishAndReleaseAll();
  }
}
