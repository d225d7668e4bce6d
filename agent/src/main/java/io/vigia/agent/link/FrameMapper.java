package io.vigia.agent.link;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vigia.agent.sampling.CpuMode;
import io.vigia.agent.sampling.CpuUsage;
import io.vigia.agent.sampling.DiskIo;
import io.vigia.agent.sampling.FileSystemUsage;
import io.vigia.agent.sampling.InterfaceIo;
import io.vigia.agent.sampling.MemoryUsage;
import io.vigia.agent.sampling.Sample;
import io.vigia.agent.sampling.SystemLoad;
import io.vigia.codec.CompactSnapshots;
import io.vigia.codec.Protocol;
import io.vigia.proto.CpuSample;
import io.vigia.proto.DiskSample;
import io.vigia.proto.FileSystemSample;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.InterfaceSample;
import io.vigia.proto.MemorySample;
import io.vigia.proto.Snapshot;
import io.vigia.proto.SystemSample;
import java.time.Duration;

/** Turns the agent's records into wire frames; the only place the agent builds protobufs. */
final class FrameMapper {

  /** The order of {@code CpuSample.modes} (not CpuMode's, which follows OSHI). */
  private static final CpuMode[] WIRE_MODES = {
    CpuMode.USER,
    CpuMode.NICE,
    CpuMode.SYSTEM,
    CpuMode.IOWAIT,
    CpuMode.IRQ,
    CpuMode.SOFTIRQ,
    CpuMode.STEAL,
    CpuMode.IDLE
  };

  private FrameMapper() {}

  static Frame hello(AgentIdentity identity, String token) {
    return hello(identity, token, 0);
  }

  /**
   * @param timeBaseMillis the origin of this run's compact sample times (its start, Unix ms)
   */
  static Frame hello(AgentIdentity identity, String token, long timeBaseMillis) {
    return Frame.newBuilder()
        .setHello(
            Hello.newBuilder()
                // 1 here, so that a collector of version 1 accepts the link too; the newest
                // version the agent speaks goes in max_protocol_version.
                .setProtocolVersion(Protocol.BASE_VERSION)
                .setMaxProtocolVersion(Protocol.VERSION)
                .setTimeBaseMs(timeBaseMillis)
                .setAgentId(identity.id())
                .setHostname(identity.hostname())
                .setOs(identity.os())
                .setCores(identity.cores())
                .setAgentVersion(identity.agentVersion())
                .setEpoch(identity.epoch())
                .setToken(token)
                .setIntervalMs(millis(identity.interval())))
        .build();
  }

  static Frame snapshot(Sample sample) {
    return snapshot(sample, 0);
  }

  /**
   * @param spoolDropped samples this agent run has dropped from its spool so far
   */
  static Frame snapshot(Sample sample, long spoolDropped) {
    return snapshot(sample, spoolDropped, null);
  }

  /**
   * @param compactFor the Hello of this agent run when the link takes compact snapshots (protocol
   *     2), else null for the classic form every collector reads
   */
  static Frame snapshot(Sample sample, long spoolDropped, Hello compactFor) {
    // The figures cover the time between the counter readings they come from; after a failed
    // reading that is longer than the sampling round.
    Duration covered = sample.cpuUsage().map(CpuUsage::covered).orElse(sample.interval());
    Snapshot.Builder snapshot =
        Snapshot.newBuilder().setSeq(sample.seq()).setSpoolDropped(spoolDropped);
    long time = sample.time().toEpochMilli();
    if (compactFor == null) {
      snapshot.setTimeMs(time).setIntervalMs(millis(covered));
    } else {
      int interval = compactFor.getIntervalMs();
      snapshot
          .setTimeSkewMs(
              CompactSnapshots.timeSkew(time, compactFor.getTimeBaseMs(), sample.seq(), interval))
          .setIntervalSkewMs(millis(covered) - interval);
    }
    sample.cpuUsage().ifPresent(cpu -> snapshot.setCpu(cpu(cpu, compactFor != null)));
    if (sample.memory() != null) {
      snapshot.setMemory(memory(sample.memory()));
    }
    if (sample.load() != null) {
      snapshot.setSystem(system(sample.load()));
    }
    sample.fileSystems().forEach(fs -> snapshot.addFileSystems(fileSystem(fs)));
    sample.disks().forEach(disk -> snapshot.addDisks(disk(disk)));
    sample.interfaces().forEach(nic -> snapshot.addInterfaces(nic(nic)));
    return Frame.newBuilder().setSnapshot(snapshot).build();
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }

  /**
   * The classic form of a spooled snapshot frame written for {@code hello}'s run, for a link to a
   * collector of protocol version 1; a classic frame comes back as it is.
   */
  static byte[] classic(byte[] frame, Hello hello) {
    try {
      Frame parsed = Frame.parseFrom(frame);
      Snapshot expanded =
          CompactSnapshots.expand(
              parsed.getSnapshot(), hello.getTimeBaseMs(), hello.getIntervalMs());
      return expanded == parsed.getSnapshot()
          ? frame
          : Frame.newBuilder().setSnapshot(expanded).build().toByteArray();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the spool holds a frame this agent did not write", e);
    }
  }

  private static CpuSample cpu(CpuUsage cpu, boolean compact) {
    CpuSample.Builder b = CpuSample.newBuilder().setBusy(cpu.busy());
    for (int value : cpu.coreBusy()) {
      b.addCoreBusy(value);
    }
    if (compact) {
      for (CpuMode mode : WIRE_MODES) {
        b.addModes(cpu.mode(mode));
      }
      return b.build();
    }
    return b.setUser(cpu.mode(CpuMode.USER))
        .setNice(cpu.mode(CpuMode.NICE))
        .setSystem(cpu.mode(CpuMode.SYSTEM))
        .setIowait(cpu.mode(CpuMode.IOWAIT))
        .setIrq(cpu.mode(CpuMode.IRQ))
        .setSoftirq(cpu.mode(CpuMode.SOFTIRQ))
        .setSteal(cpu.mode(CpuMode.STEAL))
        .setIdle(cpu.mode(CpuMode.IDLE))
        .build();
  }

  // -1 marks an unknown figure in the agent's records; on the wire it is an unset optional.

  private static MemorySample memory(MemoryUsage m) {
    MemorySample.Builder b =
        MemorySample.newBuilder()
            .setTotalBytes(m.totalBytes())
            .setAvailableBytes(m.availableBytes())
            .setSwapTotalBytes(m.swapTotalBytes())
            .setSwapUsedBytes(m.swapUsedBytes());
    if (m.cachedBytes() >= 0) {
      b.setCachedBytes(m.cachedBytes());
    }
    if (m.buffersBytes() >= 0) {
      b.setBuffersBytes(m.buffersBytes());
    }
    if (m.swapInPagesX100() >= 0) {
      b.setSwapInPagesX100(m.swapInPagesX100());
    }
    if (m.swapOutPagesX100() >= 0) {
      b.setSwapOutPagesX100(m.swapOutPagesX100());
    }
    return b.build();
  }

  private static SystemSample system(SystemLoad l) {
    SystemSample.Builder b =
        SystemSample.newBuilder()
            .setUptimeSeconds(l.uptimeSeconds())
            .setProcesses(l.processes())
            .setThreads(l.threads());
    if (l.load1X100() >= 0) {
      b.setLoad1X100(l.load1X100());
    }
    if (l.load5X100() >= 0) {
      b.setLoad5X100(l.load5X100());
    }
    if (l.load15X100() >= 0) {
      b.setLoad15X100(l.load15X100());
    }
    if (l.contextSwitchesX100() >= 0) {
      b.setContextSwitchesX100(l.contextSwitchesX100());
    }
    if (l.interruptsX100() >= 0) {
      b.setInterruptsX100(l.interruptsX100());
    }
    return b.build();
  }

  private static FileSystemSample fileSystem(FileSystemUsage fs) {
    return FileSystemSample.newBuilder()
        .setMount(fs.mount())
        .setDevice(fs.device())
        .setType(fs.type())
        .setSizeBytes(fs.sizeBytes())
        .setUsedBytes(fs.usedBytes())
        .setFreeBytes(fs.freeBytes())
        .setInodesTotal(fs.inodesTotal())
        .setInodesUsed(fs.inodesUsed())
        .build();
  }

  private static DiskSample disk(DiskIo d) {
    DiskSample.Builder b = DiskSample.newBuilder().setDevice(d.device());
    if (d.readBytesPerSec() >= 0) {
      b.setReadBytesPerS(d.readBytesPerSec());
    }
    if (d.writeBytesPerSec() >= 0) {
      b.setWriteBytesPerS(d.writeBytesPerSec());
    }
    if (d.readOpsX100() >= 0) {
      b.setReadOpsX100(d.readOpsX100());
    }
    if (d.writeOpsX100() >= 0) {
      b.setWriteOpsX100(d.writeOpsX100());
    }
    if (d.busyPerMille() >= 0) {
      b.setBusy(d.busyPerMille());
    }
    return b.build();
  }

  private static InterfaceSample nic(InterfaceIo n) {
    InterfaceSample.Builder b = InterfaceSample.newBuilder().setName(n.name()).setUp(n.up());
    if (n.rxBytesPerSec() >= 0) {
      b.setRxBytesPerS(n.rxBytesPerSec());
    }
    if (n.txBytesPerSec() >= 0) {
      b.setTxBytesPerS(n.txBytesPerSec());
    }
    if (n.rxPacketsX100() >= 0) {
      b.setRxPacketsX100(n.rxPacketsX100());
    }
    if (n.txPacketsX100() >= 0) {
      b.setTxPacketsX100(n.txPacketsX100());
    }
    if (n.rxErrorsX100() >= 0) {
      b.setRxErrorsX100(n.rxErrorsX100());
    }
    if (n.txErrorsX100() >= 0) {
      b.setTxErrorsX100(n.txErrorsX100());
    }
    if (n.rxDropsX100() >= 0) {
      b.setRxDropsX100(n.rxDropsX100());
    }
    if (n.txDropsX100() >= 0) {
      b.setTxDropsX100(n.txDropsX100());
    }
    return b.build();
  }
}
