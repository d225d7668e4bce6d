package io.vigia.agent.sampling;

import java.util.ArrayList;
import java.util.List;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;

/**
 * Reads the I/O counters of every whole disk through OSHI (on Linux, the kernel's per-device stats
 * that {@code /proc/diskstats} shows). The list is taken afresh every round, so disks that appear
 * or vanish are noticed at once.
 */
public final class OshiDiskSource implements DiskSource {

  private final HardwareAbstractionLayer hardware;

  public OshiDiskSource(HardwareAbstractionLayer hardware) {
    this.hardware = hardware;
  }

  @Override
  public List<DiskReading> disks() {
    List<HWDiskStore> stores = hardware.getDiskStores();
    List<DiskReading> readings = new ArrayList<>(stores.size());
    for (HWDiskStore disk : stores) {
      readings.add(
          new DiskReading(
              shortName(disk.getName()),
              disk.getReadBytes(),
              disk.getWriteBytes(),
              disk.getReads(),
              disk.getWrites(),
              disk.getTransferTime()));
    }
    return readings;
  }

  /** "/dev/sda" becomes "sda", the name /proc/diskstats and iostat use. */
  static String shortName(String name) {
    return name.startsWith("/dev/") ? name.substring(5) : name;
  }
}
