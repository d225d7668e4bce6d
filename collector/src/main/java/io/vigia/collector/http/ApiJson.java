package io.vigia.collector.http;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.Timestamp;
import com.google.protobuf.util.JsonFormat;
import io.vigia.codec.Protocol;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.HostView;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.registry.SystemFigures;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiAgentList;
import io.vigia.proto.ApiDisk;
import io.vigia.proto.ApiError;
import io.vigia.proto.ApiFileSystem;
import io.vigia.proto.ApiHistory;
import io.vigia.proto.ApiInterface;
import io.vigia.proto.ApiMemory;
import io.vigia.proto.ApiSample;
import io.vigia.proto.ApiSystem;
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

  /** An error body: {@code {"error": "not_found", "message": "..."}}. */
  public static String error(String error, String message) {
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
            .setLinks(host.delivery().links())
            .setSpoolDiskBytes(host.identity().spool().diskBytes())
            .setSpoolRecovered(host.identity().spool().recovered());
    if (host.identity().spool().oldestMillis() > 0) {
      agent.setSpoolOldest(timestamp(Instant.ofEpochMilli(host.identity().spool().oldestMillis())));
    }
    host.latest()
        .ifPresent(
            latest -> {
              Families families = latest.families();
              if (families.memory() != null) {
                agent.setMemory(memory(families.memory()));
              }
              if (families.system() != null) {
                agent.setSystem(system(families.system()));
              }
              families.fileSystems().forEach(fs -> agent.addFileSystems(fileSystem(fs)));
              families.disks().forEach(disk -> agent.addDisks(disk(disk)));
              families.interfaces().forEach(nic -> agent.addInterfaces(nic(nic)));
              CpuFigures cpu = latest.cpu();
              if (cpu == null) {
                return;
              }
              agent.setHasCpu(true);
              agent.setCpuPercent(Protocol.perMilleToPercent(cpu.busy()));
              for (int core = 0; core < cpu.cores(); core++) {
                agent.addCorePercent(Protocol.perMilleToPercent(cpu.coreBusy(core)));
              }
            });
    return agent.build();
  }

  static ApiSample sample(StoredSample sample) {
    ApiSample.Builder out =
        ApiSample.newBuilder()
            .setSeq(sample.seq())
            .setEpoch(sample.epoch())
            .setTime(timestamp(sample.time()))
            .setIntervalMs(sample.intervalMillis());
    Families families = sample.families();
    if (families.memory() != null) {
      out.setMemory(memory(families.memory()));
    }
    if (families.system() != null) {
      out.setSystem(system(families.system()));
    }
    families.fileSystems().forEach(fs -> out.addFileSystems(fileSystem(fs)));
    families.disks().forEach(disk -> out.addDisks(disk(disk)));
    families.interfaces().forEach(nic -> out.addInterfaces(nic(nic)));
    CpuFigures cpu = sample.cpu();
    if (cpu == null) {
      return out.build();
    }
    out.setHasCpu(true)
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

  static ApiMemory memory(MemoryFigures m) {
    ApiMemory.Builder b =
        ApiMemory.newBuilder()
            .setTotalBytes(m.totalBytes())
            .setUsedBytes(m.usedBytes())
            .setAvailableBytes(m.availableBytes())
            .setSwapTotalBytes(m.swapTotalBytes())
            .setSwapUsedBytes(m.swapUsedBytes())
            .setUsedPercent(percent(m.usedBytes(), m.totalBytes()));
    if (m.cachedBytes() >= 0) {
      b.setCachedBytes(m.cachedBytes());
    }
    if (m.buffersBytes() >= 0) {
      b.setBuffersBytes(m.buffersBytes());
    }
    if (m.swapInPagesX100() >= 0) {
      b.setSwapInPagesPerS(m.swapInPagesX100() / 100.0);
    }
    if (m.swapOutPagesX100() >= 0) {
      b.setSwapOutPagesPerS(m.swapOutPagesX100() / 100.0);
    }
    return b.build();
  }

  static ApiSystem system(SystemFigures s) {
    ApiSystem.Builder b =
        ApiSystem.newBuilder()
            .setUptimeSeconds(s.uptimeSeconds())
            .setProcesses(s.processes())
            .setThreads(s.threads());
    if (s.load1X100() >= 0) {
      b.setLoad1(s.load1X100() / 100.0);
    }
    if (s.load5X100() >= 0) {
      b.setLoad5(s.load5X100() / 100.0);
    }
    if (s.load15X100() >= 0) {
      b.setLoad15(s.load15X100() / 100.0);
    }
    if (s.contextSwitchesX100() >= 0) {
      b.setContextSwitchesPerS(s.contextSwitchesX100() / 100.0);
    }
    if (s.interruptsX100() >= 0) {
      b.setInterruptsPerS(s.interruptsX100() / 100.0);
    }
    return b.build();
  }

  static ApiFileSystem fileSystem(FileSystemFigures fs) {
    return ApiFileSystem.newBuilder()
        .setMount(fs.mount())
        .setDevice(fs.device())
        .setType(fs.type())
        .setSizeBytes(fs.sizeBytes())
        .setUsedBytes(fs.usedBytes())
        .setFreeBytes(fs.freeBytes())
        .setInodesTotal(fs.inodesTotal())
        .setInodesUsed(fs.inodesUsed())
        // As df(1) has it: of the space users can have (used + free), how much is used.
        .setUsedPercent(percent(fs.usedBytes(), fs.usedBytes() + fs.freeBytes()))
        .build();
  }

  static ApiDisk disk(DiskFigures d) {
    ApiDisk.Builder b = ApiDisk.newBuilder().setDevice(d.device());
    if (d.readBytesPerSec() >= 0) {
      b.setReadBytesPerS(d.readBytesPerSec());
    }
    if (d.writeBytesPerSec() >= 0) {
      b.setWriteBytesPerS(d.writeBytesPerSec());
    }
    if (d.readOpsX100() >= 0) {
      b.setReadOpsPerS(d.readOpsX100() / 100.0);
    }
    if (d.writeOpsX100() >= 0) {
      b.setWriteOpsPerS(d.writeOpsX100() / 100.0);
    }
    if (d.busyPerMille() >= 0) {
      b.setBusyPercent(Protocol.perMilleToPercent(d.busyPerMille()));
    }
    return b.build();
  }

  static ApiInterface nic(InterfaceFigures n) {
    ApiInterface.Builder b = ApiInterface.newBuilder().setName(n.name()).setUp(n.up());
    if (n.rxBytesPerSec() >= 0) {
      b.setRxBytesPerS(n.rxBytesPerSec());
    }
    if (n.txBytesPerSec() >= 0) {
      b.setTxBytesPerS(n.txBytesPerSec());
    }
    if (n.rxPacketsX100() >= 0) {
      b.setRxPacketsPerS(n.rxPacketsX100() / 100.0);
    }
    if (n.txPacketsX100() >= 0) {
      b.setTxPacketsPerS(n.txPacketsX100() / 100.0);
    }
    if (n.rxErrorsX100() >= 0) {
      b.setRxErrorsPerS(n.rxErrorsX100() / 100.0);
    }
    if (n.txErrorsX100() >= 0) {
      b.setTxErrorsPerS(n.txErrorsX100() / 100.0);
    }
    if (n.rxDropsX100() >= 0) {
      b.setRxDropsPerS(n.rxDropsX100() / 100.0);
    }
    if (n.txDropsX100() >= 0) {
      b.setTxDropsPerS(n.txDropsX100() / 100.0);
    }
    return b.build();
  }

  /** Percent with one decimal, 0 for an empty whole. */
  private static double percent(long part, long whole) {
    return whole <= 0 ? 0 : Math.round(part * 1000.0 / whole) / 10.0;
  }

  // What RFC 3339 and protobuf's JSON can write: years 0001 to 9999.
  private static final Instant MIN_TIME = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant MAX_TIME = Instant.parse("9999-12-31T23:59:59Z");

  /**
   * A time as the API writes it, held within years 0001 to 9999: a time the store took from an
   * agent beyond them is shown at the bound rather than failing the whole answer.
   */
  public static Timestamp timestamp(Instant instant) {
    Instant shown =
        instant.isBefore(MIN_TIME) ? MIN_TIME : instant.isAfter(MAX_TIME) ? MAX_TIME : instant;
    return Timestamp.newBuilder()
        .setSeconds(shown.getEpochSecond())
        .setNanos(shown.getNano())
        .build();
  }

  /** {@code message} in the API's JSON: one line, every field. */
  public static String print(MessageOrBuilder message) {
    try {
      return PRINTER.print(message);
    } catch (InvalidProtocolBufferException e) {
      // Only Any fields with unknown types fail to print, and the API has none.
      throw new IllegalStateException("cannot render " + message.getClass().getSimpleName(), e);
    }
  }
}
