package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.codec.Frames;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Welcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinkHandlerTest {

  private static final Frame HELLO =
      FrameMapper.hello(
          new AgentIdentity(
              "web-01-3d1219c7",
              "web-01",
              "Debian GNU/Linux 12 (bookworm) 6.1",
              4,
              "0.1.0",
              42L,
              Duration.ofSeconds(5)),
          "");

  /** Writes down what the handler reports, in order. */
  private static final class RecordingEvents implements LinkEvents {
    final List<String> events = new ArrayList<>();
    Channel welcomedOn;

    @Override
    public void welcomed(Channel channel, Welcome welcome) {
      welcomedOn = channel;
      events.add("welcomed " + welcome.getSessionId() + " " + welcome.getLastStoredSeq());
    }

    @Override
    public void refused(Channel channel, ErrorCode code, String message) {
      events.add("refused " + code);
    }

    @Override
    public void writable(Channel channel) {
      events.add("writable");
    }

    @Override
    public void acknowledged(long seq) {
      events.add("acknowledged " + seq);
    }
  }

  private final RecordingEvents events = new RecordingEvents();

  /** An active link: the handler has seen channelActive already. */
  private EmbeddedChannel link() {
    return new EmbeddedChannel(new LinkHandler(HELLO, events));
  }

  private static Frame welcome(String sessionId, long lastStoredSeq) {
    return Frame.newBuilder()
        .setWelcome(
            Welcome.newBuilder()
                .setSessionId(sessionId)
                .setLastStoredSeq(lastStoredSeq)
                .setProtocolVersion(1))
        .build();
  }

  @Test
  void helloIsTheFirstAndOnlyFrameWrittenWhenTheLinkComesUp() {
    EmbeddedChannel ch = link();
    try {
      assertThat(ch.<Object>readOutbound()).isEqualTo(HELLO);
      assertThat(ch.<Object>readOutbound()).isNull();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void welcomeIsReportedWithSessionIdLastStoredSeqAndChannel() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(welcome("s-17", 1234));

      assertThat(events.events).containsExactly("welcomed s-17 1234");
      assertThat(events.welcomedOn).isSameAs(ch);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSampleRefusedByTheCollectorIsSettledLikeAnAckAndLoggedOnceAMinuteAtMost() {
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LinkHandler.class);
    var appender =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    logger.addAppender(appender);
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(welcome("s-17", 0));
      for (long seq = 1; seq <= 3; seq++) {
        ch.writeInbound(
            Frame.newBuilder()
                .setAck(
                    io.vigia.proto.Ack.newBuilder()
                        .setSeq(seq)
                        .setRefused(io.vigia.proto.SampleRefusal.TIME_IN_FUTURE)
                        .setRefusedMessage("snapshot " + seq + " was taken 6 min after ..."))
                .build());
      }

      assertThat(events.events)
          .containsExactly("welcomed s-17 0", "acknowledged 1", "acknowledged 2", "acknowledged 3");
      assertThat(appender.list).hasSize(1);
      assertThat(appender.list.get(0).getFormattedMessage())
          .isEqualTo(
              "The collector refused a sample (dropped from the spool): snapshot 1 was taken 6"
                  + " min after ...");
      assertThat(ch.isOpen()).isTrue();
    } finally {
      logger.detachAppender(appender);
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void ackIsReportedWithItsSeq() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(welcome("s-17", 0));
      ch.writeInbound(Frames.ack(5));
      ch.writeInbound(Frames.ack(9));

      assertThat(events.events)
          .containsExactly("welcomed s-17 0", "acknowledged 5", "acknowledged 9");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void errorFromTheCollectorIsReportedAndClosesTheLink() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(Frames.error(ErrorCode.BAD_TOKEN, "the token does not match"));

      assertThat(ch.isOpen()).isFalse();
      assertThat(events.events).containsExactly("refused BAD_TOKEN");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void goodbyeFromTheCollectorClosesTheLink() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(welcome("s-17", 0));
      ch.writeInbound(Frames.goodbye("collector stopping"));

      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void unexpectedFrameIsIgnoredAndTheLinkStaysOpen() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(HELLO);

      assertThat(ch.isOpen()).isTrue();
      assertThat(events.events).isEmpty();
      assertThat(ch.<Object>readInbound()).as("consumed, not passed on").isNull();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void pipelineFailureClosesTheLink() {
    EmbeddedChannel ch = link();
    try {
      ch.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));

      assertThat(ch.isOpen()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
