package io.vigia.collector.remotewrite;

import io.netty.channel.ChannelHandler;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.vigia.collector.http.JsonGetRoute;
import io.vigia.collector.registry.RegistryListener;
import io.vigia.collector.registry.StoredSample;
import java.net.URI;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Pushes every sample the collector stores to Prometheus remote-write 1.0 receivers: one bounded
 * queue and one sender thread per receiver, so that a slow, dead or refusing receiver delays
 * neither the others nor the agents' links.
 *
 * <pre>{@code
 * RemoteWrite remoteWrite = RemoteWrite.start(settings, "vigia-collector/0.1.0", clock);
 * registry.addListener(remoteWrite);
 * metricsRegistry.register(remoteWrite.metrics());      // vigia_remote_write_* in /metrics
 * httpPipeline.addBefore("query", "remoteWrite", remoteWrite.apiRoute()); // /api/v1/remote-write
 * }</pre>
 *
 * <p>Thread-safety: safe for concurrent use; {@link #sampleStored} only queues and never blocks.
 */
public final class RemoteWrite implements RegistryListener, AutoCloseable {

  private final List<Receiver> receivers;
  private final RemoteWriteMetrics metrics;
  private final ChannelHandler apiRoute;

  private RemoteWrite(List<Receiver> receivers) {
    this.receivers = List.copyOf(receivers);
    this.metrics = new RemoteWriteMetrics(this);
    this.apiRoute = new JsonGetRoute(RemoteWriteJson.PATH, () -> RemoteWriteJson.of(status()));
  }

  /**
   * Starts one sender per receiver of {@code settings} (none for {@link RemoteWriteSettings#NONE}).
   */
  public static RemoteWrite start(
      RemoteWriteSettings settings, String userAgent, InstantSource clock) {
    List<Receiver> receivers = new ArrayList<>();
    for (URI url : settings.receivers()) {
      receivers.add(new Receiver(url, settings, userAgent, clock));
    }
    receivers.forEach(Receiver::start);
    return new RemoteWrite(receivers);
  }

  @Override
  public void sampleStored(String hostId, StoredSample sample) {
    for (Receiver receiver : receivers) {
      receiver.offer(hostId, sample);
    }
  }

  /** Every receiver's figures now, in the order they were given. */
  public List<ReceiverStatus> status() {
    return receivers.stream().map(Receiver::status).toList();
  }

  /** The {@code vigia_remote_write_*} series of {@code /metrics}. */
  public MultiCollector metrics() {
    return metrics;
  }

  /**
   * Goes before the JSON API's handler on the HTTP side: answers {@code GET /api/v1/remote-write}
   * and passes every other request on. Shared by every connection.
   */
  public ChannelHandler apiRoute() {
    return apiRoute;
  }

  /**
   * Stops every sender after it has sent what is queued, for up to 5 s (the receivers in parallel);
   * what is left is logged. Idempotent.
   */
  @Override
  public void close() {
    receivers.parallelStream().forEach(Receiver::close);
  }
}
