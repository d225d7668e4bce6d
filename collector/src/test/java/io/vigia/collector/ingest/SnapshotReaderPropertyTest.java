package io.vigia.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.Unpooled;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.proto.CpuSample;
import io.vigia.proto.DiskSample;
import io.vigia.proto.FileSystemSample;
import io.vigia.proto.InterfaceSample;
import io.vigia.proto.MemorySample;
import io.vigia.proto.Snapshot;
import io.vigia.proto.SystemSample;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The fast reader against protobuf's parser, on random snapshots (classic and compact, every
 * family, odd values, names that are bad, long or not ASCII), some mutated on the wire, several in
 * a row through one reader so that its reused names are put to the test: whenever the reader takes
 * the bytes, the collector's mapping gives exactly what it gives for protobuf's parse (the same
 * sample, or the same rejection); whenever protobuf rejects the bytes, so does the reader.
 */
class SnapshotReaderPropertyTest {

  private static final long TIME_BASE = 1_790_000_000_000L;
  private static final HostIdentity IDENTITY = new HostIdentity("h", "h", "Linux", 3, "v", 7, 1000);
  private static final String[] NAMES = {
    "eth0",
    "eth1",
    "sda",
    "nvme0n1",
    "/",
    "/var/lib",
    "",
    "bad\u0001name",
    "ünïcode",
    "x".repeat(300)
  };

  @Property(tries = 1000)
  void theReaderAgreesWithProtobuf(
      @ForAll @Size(min = 1, max = 4) List<Long> seeds,
      @ForAll @Size(max = 3) List<@IntRange(min = 0, max = 100_000) Integer> flips) {
    SnapshotReader reader = new SnapshotReader();
    RawSnapshot fast = new RawSnapshot();
    for (int i = 0; i < seeds.size(); i++) {
      byte[] bytes = random(new SplittableRandom(seeds.get(i))).toByteArray();
      boolean mutated = i == seeds.size() - 1 && !flips.isEmpty() && bytes.length > 0;
      if (mutated) {
        for (int flip : flips) {
          bytes[flip % bytes.length] ^= (byte) (1 + flip % 255);
        }
      }
      boolean read = reader.read(Unpooled.wrappedBuffer(bytes), 0, bytes.length, fast);
      Snapshot parsed;
      try {
        parsed = Snapshot.parseFrom(bytes);
      } catch (InvalidProtocolBufferException e) {
        assertThat(read).as("protobuf rejects these bytes: %s", e.getMessage()).isFalse();
        continue;
      }
      if (!mutated) {
        assertThat(read).as("the reader takes what the schema's encoder writes").isTrue();
      }
      if (read) {
        RawSnapshot slow = RawSnapshot.from(parsed, new RawSnapshot());
        assertThat(outcome(fast)).isEqualTo(outcome(slow));
        assertThat(fast.spoolDropped).isEqualTo(slow.spoolDropped);
      }
    }
  }

  private static Object outcome(RawSnapshot raw) {
    try {
      return FrameMapper.sample(raw, IDENTITY, TIME_BASE);
    } catch (InvalidMessageException e) {
      return "rejected: " + e.getMessage();
    }
  }

  /** A snapshot with each part present or not, mostly valid, sometimes not. */
  static Snapshot random(SplittableRandom r) {
    Snapshot.Builder s = Snapshot.newBuilder().setSeq(r.nextInt(10) == 0 ? 0 : 1 + r.nextInt(1000));
    if (r.nextBoolean()) {
      s.setTimeSkewMs(r.nextLong(-100_000, 100_000)).setIntervalSkewMs(r.nextInt(-50, 50));
    } else {
      s.setTimeMs(TIME_BASE + r.nextLong(1_000_000)).setIntervalMs(r.nextInt(0, 70_000));
    }
    if (r.nextInt(4) > 0) {
      CpuSample.Builder cpu = CpuSample.newBuilder().setBusy(perMille(r));
      int cores = r.nextInt(6) == 0 ? r.nextInt(6) : 3;
      for (int i = 0; i < cores; i++) {
        cpu.addCoreBusy(perMille(r));
      }
      if (r.nextBoolean()) {
        int modes = r.nextInt(8) == 0 ? r.nextInt(10) : 8;
        for (int i = 0; i < modes; i++) {
          cpu.addModes(perMille(r));
        }
      } else {
        cpu.setUser(perMille(r)).setNice(perMille(r)).setSystem(perMille(r));
        cpu.setIowait(perMille(r)).setIrq(perMille(r)).setSoftirq(perMille(r));
        cpu.setSteal(perMille(r)).setIdle(perMille(r));
      }
      s.setCpu(cpu);
    }
    if (r.nextBoolean()) {
      MemorySample.Builder m =
          MemorySample.newBuilder()
              .setTotalBytes(1L << 36)
              .setAvailableBytes(size(r) >>> 30)
              .setSwapTotalBytes(size(r))
              .setSwapUsedBytes(r.nextInt(1000));
      if (r.nextBoolean()) {
        m.setCachedBytes(size(r));
      }
      if (r.nextBoolean()) {
        m.setBuffersBytes(size(r));
      }
      if (r.nextBoolean()) {
        m.setSwapInPagesX100(size(r)).setSwapOutPagesX100(0);
      }
      s.setMemory(m);
    }
    if (r.nextBoolean()) {
      SystemSample.Builder y =
          SystemSample.newBuilder()
              .setUptimeSeconds(size(r))
              .setProcesses(count(r))
              .setThreads(count(r));
      if (r.nextBoolean()) {
        y.setLoad1X100(count(r)).setLoad5X100(count(r)).setLoad15X100(count(r));
      }
      if (r.nextBoolean()) {
        y.setContextSwitchesX100(size(r)).setInterruptsX100(size(r));
      }
      s.setSystem(y);
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      s.addFileSystems(
          FileSystemSample.newBuilder()
              .setMount(name(r))
              .setDevice(name(r))
              .setType(name(r))
              .setSizeBytes(size(r))
              .setUsedBytes(size(r))
              .setFreeBytes(size(r))
              .setInodesTotal(size(r))
              .setInodesUsed(size(r)));
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      DiskSample.Builder d = DiskSample.newBuilder().setDevice(name(r));
      if (r.nextBoolean()) {
        d.setReadBytesPerS(size(r)).setWriteBytesPerS(size(r));
      }
      if (r.nextBoolean()) {
        d.setReadOpsX100(size(r)).setWriteOpsX100(size(r)).setBusy(r.nextInt(10) == 0 ? -5 : 400);
      }
      s.addDisks(d);
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      InterfaceSample.Builder n =
          InterfaceSample.newBuilder().setName(name(r)).setUp(r.nextBoolean());
      if (r.nextBoolean()) {
        n.setRxBytesPerS(size(r)).setTxBytesPerS(size(r)).setRxPacketsX100(size(r));
        n.setTxPacketsX100(size(r)).setRxErrorsX100(0).setTxErrorsX100(size(r));
        n.setRxDropsX100(size(r)).setTxDropsX100(size(r));
      }
      s.addInterfaces(n);
    }
    if (r.nextBoolean()) {
      s.setSpoolDropped(size(r));
    }
    return s.build();
  }

  private static int perMille(SplittableRandom r) {
    return r.nextInt(20) == 0 ? 1001 : r.nextInt(1001);
  }

  private static long size(SplittableRandom r) {
    return r.nextInt(20) == 0 ? -r.nextLong(1, Long.MAX_VALUE) : r.nextLong(1L << 40);
  }

  private static int count(SplittableRandom r) {
    return r.nextInt(20) == 0 ? -r.nextInt(1, Integer.MAX_VALUE) : r.nextInt(100_000);
  }

  private static String name(SplittableRandom r) {
    // Mostly the usual names, so that a reader meets the same name at the same place again.
    return r.nextInt(4) > 0 ? NAMES[r.nextInt(4)] : NAMES[r.nextInt(NAMES.length)];
  }
}
