package io.vigia.collector.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.vigia.codec.Protocol;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.ApiStreamEvent;
import io.vigia.proto.ApiStreamSample;
import java.time.Instant;

/**
 * What the live stream carries: the registry's changes as the links hand them over ({@link
 * Change}), and their rendering as server-sent events, done on the HTTP side.
 */
final class StreamEvents {

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private StreamEvents() {}

  /** A change of the registry, handed from an agent link to the HTTP side as it was. */
  sealed interface Change {
    /** The event without its id. */
    ApiStreamEvent.Builder event();
  }

  /** {@code sample} was stored for {@code host} at {@code stored}. */
  record SampleStored(String host, StoredSample sample, Instant stored) implements Change {
    @Override
    public ApiStreamEvent.Builder event() {
      return ApiStreamEvent.newBuilder()
          .setType("sample")
          .setHost(host)
          .setSample(summary(sample, stored));
    }
  }

  /** A host connected or its link closed; {@code host} is its (immutable) state right after. */
  record StateChanged(HostView host) implements Change {
    @Override
    public ApiStreamEvent.Builder event() {
      return ApiStreamEvent.newBuilder()
          .setType("state")
          .setHost(host.id())
          .setAgent(ApiJson.agent(host));
    }
  }

  /** An alert of {@code host} changed state. */
  record AlertChanged(String host, io.vigia.proto.ApiStreamAlert alert) implements Change {
    @Override
    public ApiStreamEvent.Builder event() {
      return ApiStreamEvent.newBuilder().setType("alert").setHost(host).setAlert(alert);
    }
  }

  /** The event "reset": reload the hosts, then follow on; {@code message} says why. */
  record Reset(String message) implements Change {
    @Override
    public ApiStreamEvent.Builder event() {
      return ApiStreamEvent.newBuilder().setType("reset").setMessage(message);
    }
  }

  /** The event as SSE text, blank line included. */
  static String render(ApiStreamEvent.Builder event) {
    String json;
    try {
      json = PRINTER.print(event);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot render a stream event", e);
    }
    return "id: " + event.getId() + "\nevent: " + event.getType() + "\ndata: " + json + "\n\n";
  }

  static ApiStreamSample summary(StoredSample sample, Instant stored) {
    ApiStreamSample.Builder out =
        ApiStreamSample.newBuilder()
            .setSeq(sample.seq())
            .setEpoch(sample.epoch())
            .setTime(ApiJson.timestamp(sample.time()))
            .setIntervalMs(sample.intervalMillis())
            .setStored(ApiJson.timestamp(stored));
    CpuFigures cpu = sample.cpu();
    if (cpu != null) {
      out.setHasCpu(true).setCpuPercent(Protocol.perMilleToPercent(cpu.busy()));
      for (int core = 0; core < cpu.cores(); core++) {
        out.addCorePercent(Protocol.perMilleToPercent(cpu.coreBusy(core)));
      }
    }
    Families families = sample.families();
    if (families.memory() != null) {
      var memory = ApiJson.memory(families.memory());
      out.setMemoryUsedPercent(memory.getUsedPercent())
          .setMemoryUsedBytes(memory.getUsedBytes())
          .setMemoryTotalBytes(memory.getTotalBytes());
    }
    if (families.system() != null && families.system().load1X100() >= 0) {
      out.setLoad1(families.system().load1X100() / 100.0);
    }
    double rx = 0;
    double tx = 0;
    boolean net = false;
    for (InterfaceFigures nic : families.interfaces()) {
      if (nic.rxBytesPerSec() >= 0 && nic.txBytesPerSec() >= 0) {
        rx += nic.rxBytesPerSec();
        tx += nic.txBytesPerSec();
        net = true;
      }
    }
    if (net) {
      out.setNetRxBytesPerS(rx).setNetTxBytesPerS(tx);
    }
    double read = 0;
    double write = 0;
    boolean disk = false;
    for (DiskFigures d : families.disks()) {
      if (d.readBytesPerSec() >= 0 && d.writeBytesPerSec() >= 0) {
        read += d.readBytesPerSec();
        write += d.writeBytesPerSec();
        disk = true;
      }
    }
    if (disk) {
      out.setDiskReadBytesPerS(read).setDiskWriteBytesPerS(write);
    }
    return out.build();
  }
}
