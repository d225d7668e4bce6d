package io.vigia.bench;

import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.registry.SystemFigures;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic 5 s samples of one host, as the collector stores them, for measuring the history's
 * memory: {@link #realistic} ones that move the way a server's figures do from one sample to the
 * next, and {@link #uniform} ones, the worst case, where every figure is drawn anew each sample.
 * The host is the fleet fixture's ({@link SnapshotFixture}): {@code cores} logical processors and,
 * with all families, memory and system figures, two file systems, two disks and two interfaces.
 * Sizes are whole 4 KiB pages or blocks, as the kernel counts them. Deterministic for a seed.
 *
 * <p>The realistic walk, per 5 s sample (all steps uniform in the ranges given unless said):
 *
 * <ul>
 *   <li>Time: +5,000 ms ± 3 ms of scheduling jitter; seq +1; one epoch; interval 5,000 ms.
 *   <li>CPU, per core: busy moves by -6..+6 per mille, drawn toward the core's own level (20 to 400
 *       ‰, a tenth of the gap each sample); with probability 1 % a core starts a burst of 2 to 12
 *       samples at 700 to 1,000 ‰. Machine busy is the mean of the cores; user is 70 % of it,
 *       system what remains after irq (0 to 3 ‰), softirq (0 to 6 ‰) and steal (0 or 1 ‰); nice is
 *       0 and moves to 1 to 20 ‰ in 2 % of samples; iowait walks by -2..+2 within 0 to 40 ‰; idle
 *       is the rest.
 *   <li>Memory, of 64 GiB: available walks by -400..+400 pages of 4 KiB (an eighth of samples leave
 *       it unchanged), cached follows by half that plus its own -100..+100 pages, buffers moves by
 *       one page in a tenth of samples; 8 GiB of swap of which 0 to 64 MiB in use, changing in 1 %
 *       of samples, swap paging rates 0 except 1 % of samples (up to 5,000 pages/s).
 *   <li>System: load averages are the kernel's exponential averages (1, 5 and 15 min) of the number
 *       of busy cores; uptime +5 s; processes -2..+2 in a third of samples, threads -10..+10 in
 *       half; context switches and interrupts per second are a per-host level (20,000 to 80,000 and
 *       10,000 to 40,000 ×100) times 1 ± 10 % noise, more in a CPU burst.
 *   <li>File systems (500 GiB and 2 TiB): used grows by 0 to 256 KiB per sample (log writes), with
 *       a 1 % chance of a delete of up to 1 GiB; free is size minus used minus 5 % reserved; inodes
 *       used -3..+5 in a fifth of samples.
 *   <li>Disks: the system disk is busy (writes 200 KiB/s to 8 MiB/s ± 30 %, reads zero in 60 % of
 *       samples, else up to 4 MiB/s, operations from 4 KiB to 64 KiB per operation); the data disk
 *       is idle in 85 % of samples (every rate 0) and otherwise a burst like the system disk's.
 *       Busy per mille follows the bytes (1 ‰ per 64 KiB/s, at most 1,000).
 *   <li>Interfaces: eth0 carries a steady 1 to 20 MB/s in and a third of it out, ± 15 % per sample,
 *       packets of 800 bytes on average ±10 %; eth1 (management) a few kB/s, and 0 in half of
 *       samples; errors 0; drops 0 except 1 % of samples (1 to 300 ×100).
 * </ul>
 *
 * <p>The uniform worst case draws each figure independently, every sample, uniformly within its
 * range above (CPU 0 to 1,000 ‰, memory and file system sizes 0 to their totals, rates 0 to the
 * highest the realistic walk reaches), with the same time, seq and devices.
 */
public final class HostSamples {

  private static final long KIB = 1L << 10;
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  private static final long PAGE = 4 * KIB;
  private static final long BLOCK = 4 * KIB;
  private static final long MEMORY = 64 * GIB;
  private static final long SWAP = 8 * GIB;
  private static final long[] FS_SIZE = {500 * GIB, 2048 * GIB};
  private static final long[] FS_INODES = {32_768_000, 131_072_000};
  private static final String[][] MOUNTS = {
    {"/", "/dev/nvme0n1p2", "ext4"}, {"/var/lib", "/dev/sdb1", "xfs"}
  };
  private static final String[] DISKS = {"nvme0n1", "sdb"};
  private static final String[] NICS = {"eth0", "eth1"};
  // The kernel's load average decay per 5 s sample, for 1, 5 and 15 minutes.
  private static final double[] LOAD_DECAY = {
    Math.exp(-5.0 / 60), Math.exp(-5.0 / 300), Math.exp(-5.0 / 900)
  };

  private final SplittableRandom random;
  private final int cores;
  private final boolean allFamilies;
  private final boolean uniform;
  private final long epoch;
  private long seq;
  private long time;
  // Realistic state.
  private final int[] level;
  private final int[] busy;
  private final int[] burst;
  private int iowait;
  private int nice;
  private long available;
  private long cached;
  private long buffers;
  private long swapUsed;
  private final double[] load = new double[3];
  private long uptime;
  private int processes;
  private int threads;
  private final long ctxLevel;
  private final long irqLevel;
  private final long[] fsUsed = new long[2];
  private final long[] inodesUsed = new long[2];
  private final long diskLevel;
  private final long nicLevel;

  private HostSamples(int cores, boolean allFamilies, long seed, boolean uniform) {
    this.random = new SplittableRandom(seed);
    this.cores = cores;
    this.allFamilies = allFamilies;
    this.uniform = uniform;
    this.epoch = random.nextLong();
    this.time = 1_790_000_000_000L + random.nextInt(5000);
    level = new int[cores];
    busy = new int[cores];
    burst = new int[cores];
    for (int core = 0; core < cores; core++) {
      level[core] = 20 + random.nextInt(381);
      busy[core] = level[core];
    }
    iowait = random.nextInt(20);
    available = (20 * GIB + random.nextLong(30 * GIB)) / PAGE * PAGE;
    cached = available / 2 / PAGE * PAGE;
    buffers = (200 * MIB + random.nextLong(700 * MIB)) / PAGE * PAGE;
    swapUsed = random.nextLong(64 * MIB) / PAGE * PAGE;
    uptime = random.nextLong(100 * 86_400);
    processes = 200 + random.nextInt(400);
    threads = processes * (3 + random.nextInt(8));
    ctxLevel = 2_000_000 + random.nextLong(6_000_000);
    irqLevel = 1_000_000 + random.nextLong(3_000_000);
    for (int i = 0; i < 2; i++) {
      fsUsed[i] = FS_SIZE[i] / 10 + random.nextLong(FS_SIZE[i] / 2);
      inodesUsed[i] = FS_INODES[i] / 50 + random.nextLong(FS_INODES[i] / 20);
    }
    diskLevel = 200 * KIB + random.nextLong(8 * MIB - 200 * KIB);
    nicLevel = 1_000_000 + random.nextLong(19_000_000);
  }

  /** Samples whose figures walk as a server's do; see the class comment for how. */
  public static HostSamples realistic(int cores, boolean allFamilies, long seed) {
    return new HostSamples(cores, allFamilies, seed, false);
  }

  /** The worst case: every figure drawn anew, uniformly within its range, every sample. */
  public static HostSamples uniform(int cores, boolean allFamilies, long seed) {
    return new HostSamples(cores, allFamilies, seed, true);
  }

  /** The next sample, 5 s after the previous one. */
  public StoredSample next() {
    seq++;
    time += 5000 + random.nextInt(-3, 4);
    CpuFigures cpu = uniform ? uniformCpu() : cpu();
    Families families = Families.NONE;
    if (allFamilies) {
      families = uniform ? uniformFamilies() : families();
    }
    return new StoredSample(epoch, seq, Instant.ofEpochMilli(time), 5000, cpu, families);
  }

  private boolean chance(double p) {
    return random.nextDouble() < p;
  }

  private long vary(long value, double fraction) {
    return Math.max(0, Math.round(value * (1 + fraction * (2 * random.nextDouble() - 1))));
  }

  private CpuFigures cpu() {
    long total = 0;
    int burstCores = 0;
    for (int core = 0; core < cores; core++) {
      if (burst[core] == 0 && chance(0.01)) {
        burst[core] = 2 + random.nextInt(11);
      }
      int b;
      if (burst[core] > 0) {
        burst[core]--;
        burstCores++;
        b = 700 + random.nextInt(301);
      } else {
        b = busy[core] + (level[core] - busy[core]) / 10 + random.nextInt(-6, 7);
      }
      busy[core] = Math.max(0, Math.min(1000, b));
      total += busy[core];
    }
    int machine = cores == 0 ? 0 : (int) (total / cores);
    iowait = Math.max(0, Math.min(40, iowait + random.nextInt(-2, 3)));
    iowait = Math.min(iowait, 1000 - machine);
    nice = chance(0.02) ? 1 + random.nextInt(20) : 0;
    int irq = random.nextInt(4);
    int softirq = random.nextInt(7);
    int steal = random.nextInt(2);
    int user = machine * 7 / 10;
    int system = machine - user - irq - softirq - steal - nice;
    if (system < 0) {
      user = machine;
      system = 0;
      irq = 0;
      softirq = 0;
      steal = 0;
      nice = 0;
    }
    for (int i = 0; i < 3; i++) {
      load[i] = load[i] * LOAD_DECAY[i] + (1 - LOAD_DECAY[i]) * (total / 1000.0 + burstCores);
    }
    return new CpuFigures(
        machine,
        busy.clone(),
        user,
        nice,
        system,
        iowait,
        irq,
        softirq,
        steal,
        1000 - machine - iowait);
  }

  private CpuFigures uniformCpu() {
    int[] perCore = new int[cores];
    for (int core = 0; core < cores; core++) {
      perCore[core] = random.nextInt(1001);
    }
    int machine = random.nextInt(1001);
    int iowaitNow = random.nextInt(1001 - machine);
    return new CpuFigures(
        machine,
        perCore,
        random.nextInt(1001),
        random.nextInt(1001),
        random.nextInt(1001),
        iowaitNow,
        random.nextInt(1001),
        random.nextInt(1001),
        random.nextInt(1001),
        1000 - machine - iowaitNow);
  }

  private Families families() {
    if (!chance(0.125)) {
      available += random.nextLong(-400, 401) * PAGE;
    }
    available = Math.max(GIB, Math.min(MEMORY - GIB, available));
    cached = Math.max(0, cached + (random.nextLong(-200, 201) + random.nextLong(-100, 101)) * PAGE);
    if (chance(0.1)) {
      buffers = Math.max(0, buffers + (chance(0.5) ? PAGE : -PAGE));
    }
    if (chance(0.01)) {
      swapUsed = random.nextLong(64 * MIB) / PAGE * PAGE;
    }
    boolean paging = chance(0.01);
    MemoryFigures memory =
        new MemoryFigures(
            MEMORY,
            available,
            cached,
            buffers,
            SWAP,
            swapUsed,
            paging ? random.nextLong(500_000) : 0,
            paging ? random.nextLong(500_000) : 0);
    uptime += 5;
    if (chance(1 / 3.0)) {
      processes = Math.max(50, processes + random.nextInt(-2, 3));
    }
    if (chance(0.5)) {
      threads = Math.max(processes, threads + random.nextInt(-10, 11));
    }
    boolean busyNow = load[0] > cores * 0.6;
    SystemFigures system =
        new SystemFigures(
            (int) Math.round(load[0] * 100),
            (int) Math.round(load[1] * 100),
            (int) Math.round(load[2] * 100),
            uptime,
            processes,
            threads,
            vary(busyNow ? ctxLevel * 2 : ctxLevel, 0.1),
            vary(busyNow ? irqLevel * 2 : irqLevel, 0.1));
    FileSystemFigures[] fs = new FileSystemFigures[2];
    for (int i = 0; i < 2; i++) {
      fsUsed[i] += random.nextLong(65) * BLOCK;
      if (chance(0.01)) {
        fsUsed[i] -= random.nextLong(GIB / BLOCK) * BLOCK;
      }
      fsUsed[i] = Math.max(GIB, Math.min(FS_SIZE[i] * 9 / 10, fsUsed[i]));
      if (chance(0.2)) {
        inodesUsed[i] += random.nextInt(-3, 6);
      }
      fs[i] =
          new FileSystemFigures(
              MOUNTS[i][0],
              MOUNTS[i][1],
              MOUNTS[i][2],
              FS_SIZE[i],
              fsUsed[i],
              FS_SIZE[i] - fsUsed[i] - FS_SIZE[i] / 20,
              FS_INODES[i],
              inodesUsed[i]);
    }
    DiskFigures[] disks = {disk(DISKS[0], true), disk(DISKS[1], !chance(0.85))};
    InterfaceFigures[] nics = {nic(NICS[0], nicLevel), nic(NICS[1], chance(0.5) ? 3_000 : 0)};
    return new Families(memory, system, List.of(fs), List.of(disks), List.of(nics));
  }

  private DiskFigures disk(String name, boolean active) {
    if (!active) {
      return new DiskFigures(name, 0, 0, 0, 0, 0);
    }
    long write = vary(diskLevel, 0.3);
    long read = chance(0.6) ? 0 : random.nextLong(4 * MIB);
    long perOp = 4 * KIB + random.nextLong(60 * KIB);
    return new DiskFigures(
        name,
        read,
        write,
        read * 100 / perOp,
        write * 100 / perOp,
        (int) Math.min(1000, (read + write) / (64 * KIB)));
  }

  private InterfaceFigures nic(String name, long level) {
    long rx = vary(level, 0.15);
    long tx = vary(level / 3, 0.15);
    boolean drops = chance(0.01);
    return new InterfaceFigures(
        name,
        true,
        rx,
        tx,
        vary(rx * 100 / 800, 0.1),
        vary(tx * 100 / 800, 0.1),
        0,
        0,
        drops ? 100 + random.nextInt(29_901) : 0,
        0);
  }

  private Families uniformFamilies() {
    long total = MEMORY;
    MemoryFigures memory =
        new MemoryFigures(
            total,
            random.nextLong(total + 1),
            random.nextLong(total + 1),
            random.nextLong(total + 1),
            SWAP,
            random.nextLong(SWAP + 1),
            random.nextLong(500_000),
            random.nextLong(500_000));
    uptime += 5;
    SystemFigures system =
        new SystemFigures(
            random.nextInt(100 * cores + 1),
            random.nextInt(100 * cores + 1),
            random.nextInt(100 * cores + 1),
            uptime,
            random.nextInt(1000),
            random.nextInt(10_000),
            random.nextLong(16_000_000),
            random.nextLong(8_000_000));
    FileSystemFigures[] fs = new FileSystemFigures[2];
    for (int i = 0; i < 2; i++) {
      long used = random.nextLong(FS_SIZE[i] + 1);
      fs[i] =
          new FileSystemFigures(
              MOUNTS[i][0],
              MOUNTS[i][1],
              MOUNTS[i][2],
              FS_SIZE[i],
              used,
              FS_SIZE[i] - used,
              FS_INODES[i],
              random.nextLong(FS_INODES[i] + 1));
    }
    DiskFigures[] disks = new DiskFigures[2];
    for (int i = 0; i < 2; i++) {
      disks[i] =
          new DiskFigures(
              DISKS[i],
              random.nextLong(16 * MIB),
              random.nextLong(16 * MIB),
              random.nextLong(400_000),
              random.nextLong(400_000),
              random.nextInt(1001));
    }
    InterfaceFigures[] nics = new InterfaceFigures[2];
    for (int i = 0; i < 2; i++) {
      nics[i] =
          new InterfaceFigures(
              NICS[i],
              true,
              random.nextLong(24_000_000),
              random.nextLong(8_000_000),
              random.nextLong(3_000_000),
              random.nextLong(1_000_000),
              0,
              0,
              random.nextLong(30_000),
              0);
    }
    return new Families(memory, system, List.of(fs), List.of(disks), List.of(nics));
  }
}
