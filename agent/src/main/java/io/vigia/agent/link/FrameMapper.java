package io.vigia.agent.link;

import io.vigia.agent.sampling.CpuMode;
import io.vigia.agent.sampling.CpuUsage;
import io.vigia.agent.sampling.Sample;
import io.vigia.codec.Protocol;
import io.vigia.proto.CpuSample;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.time.Duration;

/** Turns the agent's records into wire frames; the only place the agent builds protobufs. */
final class FrameMapper {

  private FrameMapper() {}

  static Frame hello(AgentIdentity identity, String token) {
    return Frame.newBuilder()
        .setHello(
            Hello.newBuilder()
                .setProtocolVersion(Protocol.VERSION)
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
    // The figures cover the time between the counter readings they come from; after a failed
    // reading that is longer than the sampling round.
    Duration covered = sample.cpuUsage().map(CpuUsage::covered).orElse(sample.interval());
    Snapshot.Builder snapshot =
        Snapshot.newBuilder()
            .setSeq(sample.seq())
            .setTimeMs(sample.time().toEpochMilli())
            .setIntervalMs(millis(covered))
            .setSpoolDropped(spoolDropped);
    sample.cpuUsage().ifPresent(cpu -> snapshot.setCpu(cpu(cpu)));
    return Frame.newBuilder().setSnapshot(snapshot).build();
  }

  private static int millis(Duration duration) {
    return (int) Math.min(Integer.MAX_VALUE, duration.toMillis());
  }

  private static CpuSample cpu(CpuUsage cpu) {
    CpuSample.Builder b =
        CpuSample.newBuilder()
            .setBusy(cpu.busy())
            .setUser(cpu.mode(CpuMode.USER))
            .setNice(cpu.mode(CpuMode.NICE))
            .setSystem(cpu.mode(CpuMode.SYSTEM))
            .setIowait(cpu.mode(CpuMode.IOWAIT))
            .setIrq(cpu.mode(CpuMode.IRQ))
            .setSoftirq(cpu.mode(CpuMode.SOFTIRQ))
            .setSteal(cpu.mode(CpuMode.STEAL))
            .setIdle(cpu.mode(CpuMode.IDLE));
    for (int value : cpu.coreBusy()) {
      b.addCoreBusy(value);
    }
    return b.build();
  }
}
