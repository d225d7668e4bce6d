package io.vigia.collector.metrics;

import io.netty.channel.ChannelHandler;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.SampleRefusal;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The collector's Prometheus metrics: every host's latest figures (read from the {@link
 * HostRegistry} at scrape time) and the collector's own health, counted by small handlers in the
 * agent-link pipeline. {@code GET /metrics} on the HTTP side serves them in the Prometheus text
 * format.
 *
 * <pre>{@code
 * CollectorMetrics metrics = new CollectorMetrics(registry);
 * pipeline.addFirst("linkMetrics", metrics.linkBytes());     // raw bytes, links open
 * pipeline.addBefore("session", "frameMetrics", metrics.linkFrames()); // frames, rejections
 * httpPipeline.addBefore("query", "metrics", metrics.httpRoute());
 * }</pre>
 *
 * <p>An excerpt of a scrape:
 *
 * <pre>
 * vigia_host_up{host="web-1"} 1.0
 * vigia_host_cpu_utilisation_ratio{core="0",host="web-1"} 0.125
 * vigia_ingest_frames_total{type="snapshot"} 1234.0
 * vigia_ingest_rejections_total{reason="frame_too_large"} 0.0
 * </pre>
 *
 * <p>Thread-safety: safe for concurrent use; the counters are the client library's own.
 */
public final class CollectorMetrics {

  private final PrometheusRegistry prometheus = new PrometheusRegistry();
  private final Gauge linksOpen;
  private final Counter linksAccepted;
  private final Counter bytesIn;
  private final Counter framesIn;
  private final Counter rejections;
  private final Counter samplesRefused;
  private final Histogram snapshotSeconds;
  // The frame counter's series by body case, looked up once: counting a frame is then one add,
  // without a label String built and hashed per frame.
  private final CounterDataPoint[] framesByType =
      new CounterDataPoint[Frame.BodyCase.values().length];
  private final LinkBytesHandler linkBytes;
  private final LinkFramesHandler linkFrames;
  private final MetricsHttpHandler httpRoute;

  public CollectorMetrics(HostRegistry hosts) {
    linksOpen =
        Gauge.builder()
            .name("vigia_ingest_links_open")
            .help("Agent links open now, handshake done or not.")
            .register(prometheus);
    linksAccepted =
        Counter.builder()
            .name("vigia_ingest_links_accepted_total")
            .help("Agent links accepted since the collector started.")
            .withoutExemplars()
            .register(prometheus);
    bytesIn =
        Counter.builder()
            .name("vigia_ingest_received_bytes_total")
            .help("Bytes received on agent links, framing included.")
            .unit(Unit.BYTES)
            .withoutExemplars()
            .register(prometheus);
    framesIn =
        Counter.builder()
            .name("vigia_ingest_frames_total")
            .help("Frames decoded on agent links, by type.")
            .labelNames("type")
            .withoutExemplars()
            .register(prometheus);
    rejections =
        Counter.builder()
            .name("vigia_ingest_rejections_total")
            .help(
                "Agent links the collector closed with an Error frame, by reason (bad frames,"
                    + " a missing or bad Hello, an invalid message).")
            .labelNames("reason")
            .withoutExemplars()
            .register(prometheus);
    samplesRefused =
        Counter.builder()
            .name("vigia_ingest_samples_refused_total")
            .help(
                "Snapshots refused one by one, their link kept, by reason (time_in_future,"
                    + " time_too_old, bad_interval).")
            .labelNames("reason")
            .withoutExemplars()
            .register(prometheus);
    for (SampleRefusal reason : SampleRefusal.values()) {
      if (reason != SampleRefusal.SAMPLE_REFUSAL_UNSPECIFIED
          && reason != SampleRefusal.UNRECOGNIZED) {
        samplesRefused.labelValues(reason.name().toLowerCase(Locale.ROOT));
      }
    }
    snapshotSeconds =
        Histogram.builder()
            .name("vigia_ingest_snapshot_duration_seconds")
            .help("Time the collector takes to check and store one snapshot.")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(
                0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                0.025, 0.05, 0.1)
            .withoutExemplars()
            .register(prometheus);
    // Series that exist from the start, at 0, so that rate() and alerts see the first event.
    for (Frame.BodyCase type : Frame.BodyCase.values()) {
      if (type != Frame.BodyCase.BODY_NOT_SET) {
        framesByType[type.ordinal()] = framesIn.labelValues(frameType(type));
      }
    }
    for (ErrorCode code :
        new ErrorCode[] {
          ErrorCode.HELLO_REQUIRED,
          ErrorCode.HELLO_TIMEOUT,
          ErrorCode.UNSUPPORTED_VERSION,
          ErrorCode.BAD_TOKEN,
          ErrorCode.FRAME_TOO_LARGE,
          ErrorCode.MALFORMED_FRAME,
          ErrorCode.INVALID_MESSAGE,
          ErrorCode.TOO_MANY_LINKS,
          ErrorCode.TOO_MANY_LINKS_FROM_ADDRESS,
          ErrorCode.RATE_EXCEEDED,
          ErrorCode.TLS_HANDSHAKE_FAILED,
          ErrorCode.STORE_UNAVAILABLE
        }) {
      rejections.labelValues(reason(code));
    }
    prometheus.register(new HostMetrics(hosts));
    linkBytes = new LinkBytesHandler(this);
    linkFrames = new LinkFramesHandler(this);
    httpRoute = new MetricsHttpHandler(this);
  }

  /**
   * The first handler of an agent link: counts the link and its raw bytes. Shared by every link.
   */
  public ChannelHandler linkBytes() {
    return linkBytes;
  }

  /**
   * Goes right before the session handler of an agent link: counts decoded frames, times the
   * session's work on each snapshot, and counts the Error frames the collector answers with. Shared
   * by every link.
   */
  public ChannelHandler linkFrames() {
    return linkFrames;
  }

  /**
   * Goes before the JSON API's handler on the HTTP side: answers {@code GET /metrics} and passes
   * every other request on. Shared by every connection.
   */
  public ChannelHandler httpRoute() {
    return httpRoute;
  }

  /** Adds series collected at scrape time by another part of the collector (remote write). */
  public void register(io.prometheus.metrics.model.registry.MultiCollector collector) {
    prometheus.register(collector);
  }

  /** Everything, collected now. */
  public MetricSnapshots scrape() {
    return prometheus.scrape();
  }

  void linkOpened() {
    linksAccepted.inc();
    linksOpen.inc();
  }

  void linkClosed() {
    linksOpen.dec();
  }

  void received(long bytes) {
    bytesIn.inc(bytes);
  }

  void frame(Frame.BodyCase type) {
    CounterDataPoint series = framesByType[type.ordinal()];
    (series != null ? series : framesIn.labelValues(frameType(type))).inc();
  }

  void snapshotHandled(long nanos) {
    snapshotSeconds.observe(nanos / 1e9);
  }

  /** Links closed with an Error since start, by reason, as {@code GET /api/v1/rejections} shows. */
  public Map<String, Long> rejections() {
    Map<String, Long> byReason = new TreeMap<>();
    for (CounterSnapshot.CounterDataPointSnapshot point : rejections.collect().getDataPoints()) {
      byReason.put(point.getLabels().get("reason"), (long) point.getValue());
    }
    return byReason;
  }

  /** Snapshots refused alone since start, by reason, as {@code GET /api/v1/rejections} shows. */
  public Map<String, Long> samplesRefused() {
    Map<String, Long> byReason = new TreeMap<>();
    for (CounterSnapshot.CounterDataPointSnapshot point :
        samplesRefused.collect().getDataPoints()) {
      byReason.put(point.getLabels().get("reason"), (long) point.getValue());
    }
    return byReason;
  }

  void sampleRefused(SampleRefusal reason) {
    samplesRefused.labelValues(reason.name().toLowerCase(Locale.ROOT)).inc();
  }

  /** Counts a link closed without an Error frame, such as one whose TLS handshake failed. */
  public void rejectedSilently(ErrorCode code) {
    rejected(code);
  }

  void rejected(ErrorCode code) {
    rejections.labelValues(reason(code)).inc();
  }

  private static String frameType(Frame.BodyCase type) {
    return type == Frame.BodyCase.BODY_NOT_SET ? "empty" : type.name().toLowerCase(Locale.ROOT);
  }

  private static String reason(ErrorCode code) {
    return code.name().toLowerCase(Locale.ROOT);
  }
}
