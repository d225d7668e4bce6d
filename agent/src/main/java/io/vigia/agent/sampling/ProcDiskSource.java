package io.vigia.agent.sampling;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the I/O counters of every whole disk from {@code /proc/diskstats} (Linux), as OSHI does:
 * bytes are sectors of 512 bytes (the kernel's unit there whatever the device's), busy time is the
 * "time spent doing I/Os" column. Partitions are left out (a disk is whole when {@code
 * /sys/block/NAME} exists), so their I/O is not counted twice.
 *
 * <p>Not thread-safe: one sampling thread owns it.
 */
final class ProcDiskSource implements DiskSource {

  private static final long SECTOR_BYTES = 512;

  private final ProcFile diskstats;
  private final String sysBlock;
  private final boolean hasSysBlock;
  private final ProcText text = new ProcText();
  private final DeviceNames names = new DeviceNames();
  // Whether a name is a whole disk, asked of sysfs once per name while the name keeps appearing.
  private final Map<String, Boolean> wholeDisk = new HashMap<>();

  /**
   * @param root "" for the real machine, or a folder that mimics its /proc and /sys (tests)
   */
  ProcDiskSource(String root) {
    this.diskstats = new ProcFile(root + "/proc/diskstats", 4096);
    this.sysBlock = root + "/sys/block/";
    this.hasSysBlock = new File(sysBlock).isDirectory();
  }

  @Override
  public List<DiskReading> disks() {
    List<DiskReading> all = parse(diskstats.read(text), names);
    List<DiskReading> whole = new ArrayList<>(all.size());
    for (DiskReading disk : all) {
      if (isWholeDisk(disk.device())) {
        whole.add(disk);
      }
    }
    if (wholeDisk.size() > 4 * all.size() + 64) {
      wholeDisk.clear(); // devices came and went; ask again rather than grow
    }
    return whole;
  }

  private boolean isWholeDisk(String device) {
    if (!hasSysBlock) {
      return true; // no sysfs (a bare container): every device, as the kernel lists them
    }
    return wholeDisk.computeIfAbsent(device, d -> new File(sysBlock + d).exists());
  }

  /** Every device line of a {@code /proc/diskstats} text, partitions included. */
  static List<DiskReading> parse(ProcText text, DeviceNames names) {
    List<DiskReading> disks = new ArrayList<>();
    while (!text.atEnd()) {
      text.nextLong(); // major
      text.nextLong(); // minor
      int from = text.tokenStart();
      int to = text.tokenEnd(' ');
      if (to > from) {
        long reads = text.nextLong();
        text.nextLong(); // reads merged
        long sectorsRead = text.nextLong();
        text.nextLong(); // ms reading
        long writes = text.nextLong();
        text.nextLong(); // writes merged
        long sectorsWritten = text.nextLong();
        text.nextLong(); // ms writing
        text.nextLong(); // in flight
        long busyMillis = text.nextLong();
        if (busyMillis >= 0) {
          disks.add(
              new DiskReading(
                  names.name(text, from, to),
                  bytes(sectorsRead),
                  bytes(sectorsWritten),
                  reads,
                  writes,
                  busyMillis));
        }
      }
      text.nextLine();
    }
    return disks;
  }

  private static long bytes(long sectors) {
    return sectors < 0 ? -1 : sectors * SECTOR_BYTES;
  }
}
