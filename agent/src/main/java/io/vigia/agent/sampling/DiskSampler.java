package io.vigia.agent.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Samples the disk family: space and inodes of every mounted file system the filter accepts (pseudo
 * file systems such as proc, sysfs, tmpfs or overlay only when asked for), and the I/O rates of
 * every block device (loop and RAM disks are skipped: they mirror I/O counted elsewhere).
 *
 * <p>Rates cover the real time since the previous reading. A device seen for the first time reports
 * no rates this round; a counter that went backwards skips that interval for that counter only; a
 * device that vanished is forgotten, and starts afresh if it comes back.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
public final class DiskSampler implements Sampler {

  /** File system types that hold no user data on a disk of their own. */
  static final Set<String> PSEUDO_TYPES =
      Set.of(
          "autofs",
          "binfmt_misc",
          "bpf",
          "cgroup",
          "cgroup2",
          "configfs",
          "debugfs",
          "devpts",
          "devtmpfs",
          "efivarfs",
          "fusectl",
          "fuse.lxcfs",
          "fuse.portal",
          "hugetlbfs",
          "mqueue",
          "nsfs",
          "overlay",
          "proc",
          "pstore",
          "ramfs",
          "rpc_pipefs",
          "securityfs",
          "selinuxfs",
          "squashfs",
          "sysfs",
          "tmpfs",
          "tracefs");

  private static final int READ_BYTES = 0;
  private static final int WRITE_BYTES = 1;
  private static final int READS = 2;
  private static final int WRITES = 3;
  private static final int BUSY = 4;

  private final FileSystemSource fileSystems;
  private final DiskSource disks;
  private final DeviceFilter mounts;
  private final LongSupplier nanoTicker;
  // Busy milliseconds per second of real time are per-mille of the interval: scale 1.
  private final CounterRates io = new CounterRates(1, 1, 100, 100, 1);
  private final long[] counters = new long[5];
  private final long[] rates = new long[5];
  private final FileSystemSource.Wanted wanted;

  /**
   * @param mounts which mount points to report
   * @param nanoTicker a monotonic clock in nanoseconds ({@code System::nanoTime} in production)
   */
  public DiskSampler(
      FileSystemSource fileSystems,
      DiskSource disks,
      DeviceFilter mounts,
      LongSupplier nanoTicker) {
    this.fileSystems = fileSystems;
    this.disks = disks;
    this.mounts = mounts;
    this.nanoTicker = nanoTicker;
    this.wanted = (mount, type) -> mounts.accepts(mount, PSEUDO_TYPES.contains(type));
  }

  @Override
  public String name() {
    return "disk";
  }

  @Override
  public void sampleInto(Sample.Builder sample) throws SamplingException {
    List<FileSystemUsage> shown;
    List<DiskReading> allDisks;
    try {
      shown = fileSystems.fileSystems(wanted);
      allDisks = disks.disks();
    } catch (RuntimeException e) {
      throw new SamplingException("cannot read the file systems or disk counters", e);
    }
    io.beginRound(nanoTicker.getAsLong());
    List<DiskIo> ios = new ArrayList<>(allDisks.size());
    for (DiskReading disk : allDisks) {
      if (isVirtualCopy(disk.device())) {
        continue;
      }
      counters[READ_BYTES] = disk.readBytes();
      counters[WRITE_BYTES] = disk.writeBytes();
      counters[READS] = disk.reads();
      counters[WRITES] = disk.writes();
      counters[BUSY] = disk.busyMillis();
      io.update(disk.device(), counters, rates);
      ios.add(
          new DiskIo(
              disk.device(),
              rates[READ_BYTES],
              rates[WRITE_BYTES],
              rates[READS],
              rates[WRITES],
              (int) Math.min(1000, rates[BUSY])));
    }
    io.endRound();
    sample.fileSystems(shown);
    sample.disks(ios);
  }

  /** Loop devices and RAM disks: their I/O is that of a file or of memory, counted elsewhere. */
  static boolean isVirtualCopy(String device) {
    return device.startsWith("loop") || device.startsWith("ram");
  }
}
