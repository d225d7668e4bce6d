package io.vigia.collector.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.vigia.codec.Protocol;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiAgentList;
import io.vigia.proto.ApiError;
import io.vigia.proto.ApiHistory;
import io.vigia.proto.ApiSample;
import io.vigia.proto.HostState;
import java.time.Instant;
import java.util.List;

/**
 * Renders the registry's records as the API's JSON: the {@code Api*} messages of {@code
 * proto/vigia.proto} in the canonical proto3 JSON mapping, so the schema is written once.
 */
public final class ApiJson {

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();

  private ApiJson() {}

  static String agents(List<HostView> hosts) {
    ApiAgentList.Builder list = ApiAgentList.newBuilder();
    hosts.forEach(host -> list.addAgents(agent(host)));
    return print(list);
  }

  static String agentJson(HostView host) {
    return print(agent(host));
  }

  static String history(String id, List<StoredSample> samples) {
    ApiHistory.Builder history = ApiHistory.newBuilder().setId(id);
    samples.forEach(sample -> history.addSamples(sample(sample)));
    return print(history);
  }

  static String error(String error, String message) {
    return print(ApiError.newBuilder().setError(error).setMessage(message));
  }

  static ApiAgent agent(HostView host) {
    ApiAgent.Builder agent =
        ApiAgent.newBuilder()
            .setId(host.id())
            .setHostname(host.identity().hostname())
            .setAddress(host.address())
            .setState(HostState.valueOf(host.state().name()))
            .setCores(host.identity().cores())
            .setLastSeen(timestamp(host.lastSeen()))
            .setStateSince(timestamp(host.stateSince()))
            .setSamples(host.samples())
            .setOs(host.identity().os())
            .setAgentVersion(host.identity().agentVersion())
            .setIntervalMs(host.identity().intervalMillis())
            .setEpoch(host.identity().epoch())
            .setLastSeq(host.lastSeq())
            .setSpoolDropped(host.delivery().spoolDropped())
            .setDuplicates(host.delivery().duplicates())
            .setLinks(host.delivery().links());
    host.latest()
        .ifPresent(
            latest -> {
              CpuFigures cpu = latest.cpu();
              agent.setCpuPercent(Protocol.perMilleToPercent(cpu.busy()));
              for (int core = 0; core < cpu.cores(); core++) {
                agent.addCorePercent(Protocol.perMilleToPercent(cpu.coreBusy(core)));
              }
            });
    return agent.build();
  }

  static ApiSample sample(StoredSample sample) {
    CpuFigures cpu = sample.cpu();
    ApiSample.Builder out =
        ApiSample.newBuilder()
            .setSeq(sample.seq())
            .setEpoch(sample.epoch())
            .setTime(timestamp(sample.time()))
            .setIntervalMs(sample.intervalMillis())
            .setCpuPercent(Protocol.perMilleToPercent(cpu.busy()))
            .setUserPercent(Protocol.perMilleToPercent(cpu.user()))
            .setNicePercent(Protocol.perMilleToPercent(cpu.nice()))
            .setSystemPercent(Protocol.perMilleToPercent(cpu.system()))
            .setIowaitPercent(Protocol.perMilleToPercent(cpu.iowait()))
            .setIrqPercent(Protocol.perMilleToPercent(cpu.irq()))
            .setSoftirqPercent(Protocol.perMilleToPercent(cpu.softirq()))
            .setStealPercent(Protocol.perMilleToPercent(cpu.steal()))
            .setIdlePercent(Protocol.perMilleToPercent(cpu.idle()));
    for (int core = 0; core < cpu.cores(); core++) {
      out.addCorePercent(Protocol.perMilleToPercent(cpu.coreBusy(core)));
    }
    return out.build();
  }

  private static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  private static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail to print, and the API has none.
      throw new IllegalStateException("cannot render " + message.getClass().getSimpleName(), e);
    }
  }
}
