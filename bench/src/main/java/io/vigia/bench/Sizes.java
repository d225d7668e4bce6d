package io.vigia.bench;

import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.registry.SystemFigures;
import io.vigia.proto.CpuSample;
import io.vigia.proto.DiskSample;
import io.vigia.proto.FileSystemSample;
import io.vigia.proto.Frame;
import io.vigia.proto.InterfaceSample;
import io.vigia.proto.Snapshot;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints two sizes that JMH cannot measure: the bytes a snapshot takes on the wire (2, 16 and 128
 * cores, CPU only and all families), and the collector's heap per host for one hour of 5 s history
 * (720 samples), with bytes per stored value. The heap figure is the growth of the live heap after
 * full GCs while {@code --hosts} full histories are held, divided by the hosts.
 *
 * <pre>
 * scripts/bench-sizes                 # java -cp bench/target/benchmarks.jar io.vigia.bench.Sizes
 * </pre>
 */
public final class Sizes {

  private Sizes() {}

  public static void main(String[] args) throws InterruptedException {
    int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    System.out.println("Wire: one Snapshot frame, bytes including the 4-byte length prefix");
    System.out.println(
        "(compact: protocol 2, with a 7 ms time skew and a 3 ms interval skew, as a fixed-rate"
            + " agent has)");
    System.out.println("cores  cpu-only  cpu-compact  all-families  all-compact");
    for (int cores : new int[] {2, 12, 16, 128}) {
      System.out.printf(
          Locale.ROOT,
          "%5d  %8d  %11d  %12d  %11d%n",
          cores,
          wire(cores, false),
          compactWire(cores, false),
          wire(cores, true),
          compactWire(cores, true));
    }
    System.out.println();
    System.out.println(
        "Collector heap for one hour of 5 s history (720 samples) per host, " + hosts + " hosts");
    System.out.println("cores  families  values/sample  bytes/host  bytes/value");
    for (int cores : new int[] {2, 16, 128}) {
      for (boolean all : new boolean[] {false, true}) {
        long perHost = heapPerHost(hosts, cores, all);
        int values = values(cores, all);
        System.out.printf(
            Locale.ROOT,
            "%5d  %-8s  %13d  %10d  %11.1f%n",
            cores,
            all ? "all" : "cpu",
            values,
            perHost,
            perHost / (720.0 * values));
      }
    }
  }

  private static int wire(int cores, boolean all) {
    Snapshot snapshot = SnapshotFixture.snapshot(cores, all, 123_456, 1_790_000_000_000L);
    return 4 + Frame.newBuilder().setSnapshot(snapshot).build().getSerializedSize();
  }

  private static int compactWire(int cores, boolean all) {
    Snapshot snapshot = SnapshotFixture.compactSnapshot(cores, all, 123_456);
    return 4 + Frame.newBuilder().setSnapshot(snapshot).build().getSerializedSize();
  }

  /**
   * Values the collector stores per sample of a {@link SnapshotFixture} host: what an operator can
   * graph (CPU busy, 8 modes and each core; with all families 8 memory, 8 system, 5 per file
   * system, 5 per disk and 9 per interface figures).
   */
  public static int values(int cores, boolean all) {
    int cpu = 1 + 8 + cores;
    return all ? cpu + 8 + 8 + 2 * 5 + 2 * 5 + 2 * 9 : cpu;
  }

  private static long heapPerHost(int hosts, int cores, boolean all) throws InterruptedException {
    long before = liveHeap();
    HostRegistry registry = new HostRegistry(720, InstantSource.system());
    for (int h = 0; h < hosts; h++) {
      HostIdentity identity =
          new HostIdentity("host-" + h, "host-" + h, "Linux", cores, "bench", 1, 5000);
      registry.connect(h, identity, "127.0.0.1:" + (10000 + h));
      List<StoredSample> samples = samples(cores, all, h);
      for (int i = 0; i < 720; i++) {
        StoredSample s = samples.get(i % samples.size());
        registry.append(
            h,
            identity.id(),
            new StoredSample(
                1, i + 1, Instant.ofEpochMilli(i * 5000L), 5000, s.cpu(), s.families()));
      }
    }
    long after = liveHeap();
    long perHost = (after - before) / hosts;
    if (registry.hosts().size() != hosts) {
      throw new IllegalStateException("hosts lost");
    }
    return perHost;
  }

  /** A few different samples, so that nothing is shared that the collector would not share. */
  private static List<StoredSample> samples(int cores, boolean all, int host) {
    List<StoredSample> out = new ArrayList<>();
    for (int k = 0; k < 8; k++) {
      Snapshot s = SnapshotFixture.body(cores, all, host * 31L + k);
      CpuSample c = s.getCpu();
      int[] perCore = c.getCoreBusyList().stream().mapToInt(Integer::intValue).toArray();
      CpuFigures cpu =
          new CpuFigures(
              c.getBusy(),
              perCore,
              c.getUser(),
              c.getNice(),
              c.getSystem(),
              c.getIowait(),
              c.getIrq(),
              c.getSoftirq(),
              c.getSteal(),
              c.getIdle());
      Families families = Families.NONE;
      if (all) {
        var m = s.getMemory();
        var y = s.getSystem();
        List<FileSystemFigures> fs = new ArrayList<>();
        for (FileSystemSample f : s.getFileSystemsList()) {
          fs.add(
              new FileSystemFigures(
                  f.getMount(),
                  f.getDevice(),
                  f.getType(),
                  f.getSizeBytes(),
                  f.getUsedBytes(),
                  f.getFreeBytes(),
                  f.getInodesTotal(),
                  f.getInodesUsed()));
        }
        List<DiskFigures> disks = new ArrayList<>();
        for (DiskSample d : s.getDisksList()) {
          disks.add(
              new DiskFigures(
                  d.getDevice(),
                  d.getReadBytesPerS(),
                  d.getWriteBytesPerS(),
                  d.getReadOpsX100(),
                  d.getWriteOpsX100(),
                  d.getBusy()));
        }
        List<InterfaceFigures> nics = new ArrayList<>();
        for (InterfaceSample n : s.getInterfacesList()) {
          nics.add(
              new InterfaceFigures(
                  n.getName(),
                  n.getUp(),
                  n.getRxBytesPerS(),
                  n.getTxBytesPerS(),
                  n.getRxPacketsX100(),
                  n.getTxPacketsX100(),
                  n.getRxErrorsX100(),
                  n.getTxErrorsX100(),
                  n.getRxDropsX100(),
                  n.getTxDropsX100()));
        }
        families =
            new Families(
                new MemoryFigures(
                    m.getTotalBytes(),
                    m.getAvailableBytes(),
                    m.getCachedBytes(),
                    m.getBuffersBytes(),
                    m.getSwapTotalBytes(),
                    m.getSwapUsedBytes(),
                    m.getSwapInPagesX100(),
                    m.getSwapOutPagesX100()),
                new SystemFigures(
                    y.getLoad1X100(),
                    y.getLoad5X100(),
                    y.getLoad15X100(),
                    y.getUptimeSeconds(),
                    y.getProcesses(),
                    y.getThreads(),
                    y.getContextSwitchesX100(),
                    y.getInterruptsX100()),
                fs,
                disks,
                nics);
      }
      out.add(new StoredSample(1, k + 1, Instant.EPOCH, 5000, cpu, families));
    }
    return out;
  }

  private static long liveHeap() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
