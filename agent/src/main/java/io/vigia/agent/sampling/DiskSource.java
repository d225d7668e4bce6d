package io.vigia.agent.sampling;

import java.util.List;

/** Reads the I/O counters of every block device; production wraps OSHI. */
public interface DiskSource {

  List<DiskReading> disks();
}
