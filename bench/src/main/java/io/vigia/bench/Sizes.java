package io.vigia.bench;

import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.Frame;
import io.vigia.proto.Snapshot;
import java.time.InstantSource;
import java.util.Locale;

/**
 * Prints two sizes that JMH cannot measure: the bytes a snapshot takes on the wire (2, 16 and 128
 * cores, CPU only and all families), and the collector's heap per host for one hour of 5 s history
 * (720 samples), with bytes per stored value. The heap figure is the growth of the live heap after
 * full GCs while {@code --hosts} full histories are held, divided by the hosts; the histories hold
 * {@link HostSamples}: realistic samples, and the worst case of uniformly random ones.
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
        "Collector heap for one hour of 5 s history (720 samples) per host, "
            + hosts
            + " hosts held; bytes/value divides it by 720 x values/sample");
    System.out.println("data       cores  families  values/sample  bytes/host  bytes/value");
    for (String data : new String[] {"realistic", "uniform"}) {
      for (int cores : new int[] {2, 16, 128}) {
        for (boolean all : new boolean[] {false, true}) {
          long perHost = heapPerHost(hosts, cores, all, data.equals("uniform"));
          int values = values(cores, all);
          System.out.printf(
              Locale.ROOT,
              "%-9s  %5d  %-8s  %13d  %10d  %11.2f%n",
              data,
              cores,
              all ? "all" : "cpu",
              values,
              perHost,
              perHost / (720.0 * values));
        }
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

  /**
   * The live heap per host, after full GCs, of a registry holding {@code hosts} hosts with 720
   * samples each (the newest of 720 to 839 appended) from {@link HostSamples} (realistic, or
   * uniformly random).
   */
  private static long heapPerHost(int hosts, int cores, boolean all, boolean uniform)
      throws InterruptedException {
    long before = liveHeap();
    HostRegistry registry = new HostRegistry(720, InstantSource.system());
    for (int h = 0; h < hosts; h++) {
      HostIdentity identity =
          new HostIdentity("host-" + h, "host-" + h, "Linux", cores, "bench", 1, 5000);
      registry.connect(h, identity, "127.0.0.1:" + (10000 + h));
      HostSamples samples =
          uniform ? HostSamples.uniform(cores, all, h) : HostSamples.realistic(cores, all, h);
      // Hosts that have run for different times, so that their histories are at every phase of
      // the history's chunking (a chunk sealed every 60 samples, the oldest dropped whole), as in
      // a collector that has run for a while, not all freshly sealed.
      for (int i = 0; i < 720 + h % 120; i++) {
        StoredSample s = samples.next();
        registry.append(
            h,
            identity.id(),
            new StoredSample(1, s.seq(), s.time(), s.intervalMillis(), s.cpu(), s.families()));
      }
    }
    long after = liveHeap();
    long perHost = (after - before) / hosts;
    if (registry.hosts().size() != hosts
        || registry.history("host-0", 720).orElseThrow().size() != 720) {
      throw new IllegalStateException("hosts or samples lost");
    }
    return perHost;
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
