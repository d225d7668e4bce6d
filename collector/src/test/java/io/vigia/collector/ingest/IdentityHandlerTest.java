package io.vigia.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.collector.identity.Pins;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.LinkState;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The identity step of an agent link, with the session behind it, on embedded channels that share
 * one registry and one set of pins as the links of one collector do.
 */
class IdentityHandlerTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private final HostRegistry registry = new HostRegistry(100, InstantSource.fixed(T0));
  private final Pins pins = Pins.inMemory(InstantSource.fixed(T0));

  private EmbeddedChannel link() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline()
        .addLast(
            new IdentityHandler(pins),
            new SessionHandler(registry, Duration.ofSeconds(10)),
            RejectOnErrorHandler.INSTANCE);
    ch.pipeline().fireChannelActive();
    return ch;
  }

  private static Frame hello(String id, String credential) {
    return Frame.newBuilder()
        .setHello(
            SessionHandlerTest.helloBody(id, 2).setKeepsCredential(true).setCredential(credential))
        .build();
  }

  /** Every frame the link wrote so far, once its pending tasks ran. */
  private static List<Frame> written(EmbeddedChannel ch) {
    ch.runPendingTasks();
    List<Frame> frames = new ArrayList<>();
    for (Object o; (o = ch.readOutbound()) != null; ) {
      frames.add((Frame) o);
    }
    return frames;
  }

  /** Connects {@code id} for the first time; returns its link and the credential it was issued. */
  private record Enrolled(EmbeddedChannel link, String credential) {}

  private Enrolled enroll(String id) {
    EmbeddedChannel ch = link();
    ch.writeInbound(hello(id, ""));
    List<Frame> frames = written(ch);
    assertThat(frames).singleElement().matches(Frame::hasWelcome);
    return new Enrolled(ch, frames.get(0).getWelcome().getCredential());
  }

  @Test
  void theFirstHelloOfAnIdEnrollsItAndItsWelcomeCarriesACredential() {
    Enrolled web1 = enroll("web-1");
    try {
      assertThat(web1.credential()).hasSizeGreaterThan(40);
      assertThat(pins.list()).singleElement().matches(s -> s.connected());
      assertThat(registry.host("web-1")).get().matches(h -> h.state() == LinkState.CONNECTED);
    } finally {
      web1.link().finishAndReleaseAll();
    }
  }

  @Test
  void anImpostorWithoutTheCredentialIsRefusedAndTheRealAgentIsUntouched() {
    Enrolled web1 = enroll("web-1");
    EmbeddedChannel impostor = link();
    try {
      impostor.writeInbound(hello("web-1", ""));
      List<Frame> answer = written(impostor);
      assertThat(answer).singleElement().matches(Frame::hasError);
      assertThat(answer.get(0).getError().getCode()).isEqualTo(ErrorCode.BAD_CREDENTIAL);
      assertThat(impostor.isOpen()).isFalse();
      // Nothing reached the real agent's link, which the registry still holds.
      assertThat(written(web1.link())).isEmpty();
      assertThat(web1.link().isOpen()).isTrue();
      assertThat(registry.host("web-1").get().state()).isEqualTo(LinkState.CONNECTED);
      assertThat(registry.host("web-1").get().delivery().links()).isEqualTo(1);

      EmbeddedChannel guesser = link();
      guesser.writeInbound(hello("web-1", "not-the-credential"));
      assertThat(written(guesser).get(0).getError().getCode()).isEqualTo(ErrorCode.BAD_CREDENTIAL);
      assertThat(web1.link().isOpen()).isTrue();
    } finally {
      web1.link().finishAndReleaseAll();
      impostor.finishAndReleaseAll();
    }
  }

  @Test
  void theAgentWithItsCredentialReplacesItsOwnStaleLink() {
    Enrolled web1 = enroll("web-1");
    EmbeddedChannel again = link();
    try {
      again.writeInbound(hello("web-1", web1.credential()));
      List<Frame> welcome = written(again);
      assertThat(welcome).singleElement().matches(Frame::hasWelcome);
      // Proven already: no new credential.
      assertThat(welcome.get(0).getWelcome().getCredential()).isEmpty();
      assertThat(written(web1.link()))
          .singleElement()
          .matches(f -> f.getError().getCode() == ErrorCode.REPLACED);
    } finally {
      web1.link().finishAndReleaseAll();
      again.finishAndReleaseAll();
    }
  }

  @Test
  void theCredentialNeverReachesTheSession() {
    List<Frame> seen = new ArrayList<>();
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new IdentityHandler(pins),
            new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add((Frame) msg);
              }
            });
    try {
      ch.writeInbound(hello("web-9", "a-credential-from-an-old-collector"));
      assertThat(seen).singleElement().matches(f -> f.getHello().getCredential().isEmpty());
      assertThat(seen.get(0).getHello().getAgentId()).isEqualTo("web-9");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void revokingAnIdClosesItsLinkAtOnce() {
    Enrolled web1 = enroll("web-1");
    try {
      pins.revoke("web-1");
      List<Frame> frames = written(web1.link());
      assertThat(frames)
          .singleElement()
          .matches(f -> f.getError().getCode() == ErrorCode.AGENT_REVOKED);
      assertThat(web1.link().isOpen()).isFalse();
      assertThat(registry.host("web-1").get().state()).isEqualTo(LinkState.LOST);

      EmbeddedChannel back = link();
      back.writeInbound(hello("web-1", web1.credential()));
      assertThat(written(back).get(0).getError().getCode()).isEqualTo(ErrorCode.AGENT_REVOKED);
      back.finishAndReleaseAll();
    } finally {
      web1.link().finishAndReleaseAll();
    }
  }

  @Test
  void anOlderAgentIsAcceptedUnpinnedButNotWhileItsIdIsConnected() {
    EmbeddedChannel old = link();
    EmbeddedChannel twin = link();
    try {
      old.writeInbound(SessionHandlerTest.hello("legacy", 2));
      List<Frame> welcome = written(old);
      assertThat(welcome.get(0).getWelcome().getCredential()).isEmpty();
      assertThat(pins.list()).isEmpty();

      twin.writeInbound(SessionHandlerTest.hello("legacy", 2));
      assertThat(written(twin).get(0).getError().getCode()).isEqualTo(ErrorCode.ID_IN_USE);
      assertThat(old.isOpen()).isTrue();
      assertThat(written(old)).isEmpty();
    } finally {
      old.finishAndReleaseAll();
      twin.finishAndReleaseAll();
    }
  }
}
