package io.vigia.collector.ingest;

import static io.vigia.collector.ingest.SessionHandlerTest.hello;
import static io.vigia.collector.ingest.SessionHandlerTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vigia.codec.FrameCodec;
import io.vigia.collector.metrics.CollectorMetrics;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.proto.Frame;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/**
 * The collector's health counters, counted by the metrics handlers in the agent-link pipeline as
 * {@link IngestChannelInitializer} builds it.
 */
class IngestMetricsTest {

  private static final int MAX_FRAME_BYTES = 1 << 20;

  private final HostRegistry registry =
      new HostRegistry(100, InstantSource.fixed(Instant.parse("2025-03-01T10:00:00Z")));
  private final CollectorMetrics metrics = new CollectorMetrics(registry);

  private EmbeddedChannel link() {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ChannelPipeline p = ch.pipeline();
    p.addLast("linkMetrics", metrics.linkBytes());
    IngestChannelInitializer.installCodec(p, MAX_FRAME_BYTES);
    FrameCodec.installLiveness(p, Duration.ofSeconds(30), Duration.ofSeconds(10));
    p.addLast("frameMetrics", metrics.linkFrames());
    p.addLast("session", new SessionHandler(registry, Duration.ofSeconds(10)));
    p.addLast("rejectOnError", RejectOnErrorHandler.INSTANCE);
    p.fireChannelActive();
    return ch;
  }

  private static ByteBuf bytes(Frame frame) {
    byte[] body = frame.toByteArray();
    return Unpooled.buffer(4 + body.length).writeInt(body.length).writeBytes(body);
  }

  private String scrape() {
    return PrometheusTextFormatWriter.create().toDebugString(metrics.scrape());
  }

  @Test
  void framesBytesAndStoredSamplesAreCounted() {
    EmbeddedChannel ch = link();
    try {
      ByteBuf helloBytes = bytes(hello("web-1", 2));
      ByteBuf first = bytes(snapshot(1, 100, 200));
      ByteBuf again = bytes(snapshot(1, 100, 200));
      long total =
          helloBytes.readableBytes() + first.readableBytes() + (long) again.readableBytes();

      ch.writeInbound(helloBytes);
      ch.writeInbound(first);
      ch.writeInbound(again);

      assertThat(scrape())
          .contains("vigia_ingest_links_open 1.0\n")
          .contains("vigia_ingest_links_accepted_total 1.0\n")
          .contains("vigia_ingest_received_bytes_total " + (double) total + "\n")
          .contains("vigia_ingest_frames_total{type=\"hello\"} 1.0\n")
          .contains("vigia_ingest_frames_total{type=\"snapshot\"} 2.0\n")
          .contains("vigia_ingest_samples_total{outcome=\"stored\"} 1.0\n")
          .contains("vigia_ingest_samples_total{outcome=\"repeated\"} 1.0\n")
          .contains("vigia_ingest_snapshot_duration_seconds_count 2\n");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aClosedLinkIsNoLongerOpen() {
    EmbeddedChannel ch = link();
    ch.writeInbound(bytes(hello("web-1", 2)));

    ch.close();

    assertThat(scrape())
        .contains("vigia_ingest_links_open 0.0\n")
        .contains("vigia_ingest_links_accepted_total 1.0\n");
    ch.finishAndReleaseAll();
  }

  @Test
  void anOversizedFrameIsCountedAsARejectionByItsReason() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(Unpooled.buffer(4).writeInt(MAX_FRAME_BYTES + 1));

      assertThat(scrape())
          .contains("vigia_ingest_rejections_total{reason=\"frame_too_large\"} 1.0\n")
          .contains("vigia_ingest_rejections_total{reason=\"malformed_frame\"} 0.0\n");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aSnapshotBeforeHelloIsCountedAsHelloRequired() {
    EmbeddedChannel ch = link();
    try {
      ch.writeInbound(bytes(snapshot(1, 100, 200)));

      assertThat(scrape())
          .contains("vigia_ingest_rejections_total{reason=\"hello_required\"} 1.0\n")
          .contains("vigia_ingest_frames_total{type=\"snapshot\"} 1.0\n");
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void noHelloInTimeIsCountedAsHelloTimeout() {
    EmbeddedChannel ch = link();
    try {
      ch.advanceTimeBy(11, java.util.concurrent.TimeUnit.SECONDS);
      ch.runPendingTasks();

      assertThat(scrape())
          .contains("vigia_ingest_rejections_total{reason=\"hello_timeout\"} 1.0\n");
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
