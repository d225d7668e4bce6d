package io.vigia.bench;

import io.vigia.codec.CompactSnapshots;
import io.vigia.proto.CpuSample;
import io.vigia.proto.DiskSample;
import io.vigia.proto.FileSystemSample;
import io.vigia.proto.InterfaceSample;
import io.vigia.proto.MemorySample;
import io.vigia.proto.Snapshot;
import io.vigia.proto.SystemSample;
import java.util.SplittableRandom;

/**
 * Realistic snapshots for the benchmarks and the fleet simulator: a host with {@code cores} logical
 * processors, and with all families two file systems, two disks and two network interfaces, with
 * figures of the size a busy server reports (gigabytes, megabytes per second, thousands of packets)
 * so that varints take their real width.
 */
public final class SnapshotFixture {

  private SnapshotFixture() {}

  /**
   * A snapshot without {@code seq} and {@code time_ms}, which change per sample.
   *
   * @param allFamilies false: CPU only
   * @param seed varies the figures between simulated hosts
   */
  public static Snapshot body(int cores, boolean allFamilies, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    CpuSample.Builder cpu = CpuSample.newBuilder();
    int total = 0;
    for (int core = 0; core < cores; core++) {
      int busy = 50 + random.nextInt(700);
      cpu.addCoreBusy(busy);
      total += busy;
    }
    int busy = total / cores;
    int user = busy * 7 / 10;
    int system = busy - user - 12;
    cpu.setBusy(busy)
        .setUser(user)
        .setNice(2)
        .setSystem(Math.max(0, system))
        .setIowait(9)
        .setIrq(4)
        .setSoftirq(6)
        .setSteal(3)
        .setIdle(1000 - busy - 9);
    Snapshot.Builder snapshot = Snapshot.newBuilder().setIntervalMs(1000).setCpu(cpu);
    if (!allFamilies) {
      return snapshot.build();
    }
    long gib = 1L << 30;
    snapshot
        .setMemory(
            MemorySample.newBuilder()
                .setTotalBytes(64 * gib)
                .setAvailableBytes(41 * gib + random.nextInt(1 << 30))
                .setCachedBytes(18 * gib + random.nextInt(1 << 28))
                .setBuffersBytes(900L * (1 << 20))
                .setSwapTotalBytes(8 * gib)
                .setSwapUsedBytes(random.nextInt(1 << 26))
                .setSwapInPagesX100(0)
                .setSwapOutPagesX100(0))
        .setSystem(
            SystemSample.newBuilder()
                .setLoad1X100(random.nextInt(800))
                .setLoad5X100(random.nextInt(800))
                .setLoad15X100(random.nextInt(800))
                .setUptimeSeconds(3_456_789)
                .setProcesses(412)
                .setThreads(2_315)
                .setContextSwitchesX100(4_500_000 + random.nextInt(1_000_000))
                .setInterruptsX100(2_100_000 + random.nextInt(500_000)));
    String[][] mounts = {{"/", "/dev/nvme0n1p2", "ext4"}, {"/var/lib", "/dev/sdb1", "xfs"}};
    for (String[] m : mounts) {
      snapshot.addFileSystems(
          FileSystemSample.newBuilder()
              .setMount(m[0])
              .setDevice(m[1])
              .setType(m[2])
              .setSizeBytes(500 * gib)
              .setUsedBytes(210 * gib + random.nextInt(1 << 30))
              .setFreeBytes(260 * gib)
              .setInodesTotal(32_768_000)
              .setInodesUsed(1_200_000 + random.nextInt(10_000)));
    }
    for (String disk : new String[] {"nvme0n1", "sdb"}) {
      snapshot.addDisks(
          DiskSample.newBuilder()
              .setDevice(disk)
              .setReadBytesPerS(random.nextInt(50 << 20))
              .setWriteBytesPerS(random.nextInt(20 << 20))
              .setReadOpsX100(random.nextInt(200_000))
              .setWriteOpsX100(random.nextInt(100_000))
              .setBusy(random.nextInt(400)));
    }
    for (String nic : new String[] {"eth0", "eth1"}) {
      snapshot.addInterfaces(
          InterfaceSample.newBuilder()
              .setName(nic)
              .setUp(true)
              .setRxBytesPerS(random.nextInt(100 << 20))
              .setTxBytesPerS(random.nextInt(50 << 20))
              .setRxPacketsX100(random.nextInt(8_000_000))
              .setTxPacketsX100(random.nextInt(6_000_000))
              .setRxErrorsX100(0)
              .setTxErrorsX100(0)
              .setRxDropsX100(random.nextInt(100))
              .setTxDropsX100(0));
    }
    return snapshot.build();
  }

  /** The time base of {@link #compactSnapshot}'s agent run, and its Hello's interval. */
  public static final long TIME_BASE = 1_789_000_000_000L;

  public static final int HELLO_INTERVAL_MS = 1000;

  /**
   * {@link #body} in the compact form of protocol 2, as an agent at a 1 s interval sends it for
   * sample {@code seq}: taken 7 ms after its scheduled time, over an interval of 1003 ms (the
   * jitter of a fixed-rate schedule).
   */
  public static Snapshot compactSnapshot(int cores, boolean allFamilies, long seq) {
    Snapshot classic =
        body(cores, allFamilies, 42).toBuilder()
            .setSeq(seq)
            .setTimeMs(TIME_BASE + seq * HELLO_INTERVAL_MS + 7)
            .setIntervalMs(HELLO_INTERVAL_MS + 3)
            .build();
    return CompactSnapshots.compact(classic, TIME_BASE, HELLO_INTERVAL_MS);
  }

  /** {@link #body} with its sequence number and time. */
  public static Snapshot snapshot(int cores, boolean allFamilies, long seq, long timeMillis) {
    return body(cores, allFamilies, 42).toBuilder().setSeq(seq).setTimeMs(timeMillis).build();
  }
}
