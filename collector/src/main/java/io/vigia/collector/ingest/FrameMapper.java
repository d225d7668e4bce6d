package io.vigia.collector.ingest;

import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.registry.SystemFigures;
import io.vigia.proto.CpuSample;
import io.vigia.proto.DiskSample;
import io.vigia.proto.FileSystemSample;
import io.vigia.proto.Hello;
import io.vigia.proto.InterfaceSample;
import io.vigia.proto.MemorySample;
import io.vigia.proto.Snapshot;
import io.vigia.proto.SystemSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks incoming messages and turns them into the registry's records; the only place the collector
 * reads {@code Hello} and {@code Snapshot} protobufs.
 */
final class FrameMapper {

  static final int MAX_ID_LENGTH = 128;
  static final int MAX_TEXT_LENGTH = 256;
  static final int MAX_CORES = 4096;
  static final int MAX_DEVICES = 256;

  private FrameMapper() {}

  static HostIdentity identity(Hello hello) throws InvalidMessageException {
    String id = hello.getAgentId();
    if (id.isBlank()
        || id.length() > MAX_ID_LENGTH
        || id.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidMessageException(
          "agent id must be 1 to " + MAX_ID_LENGTH + " printable characters");
    }
    if (hello.getCores() < 1 || hello.getCores() > MAX_CORES) {
      throw new InvalidMessageException(
          "cores must be within 1.."
              + MAX_CORES
              + ", not "
              + Integer.toUnsignedString(hello.getCores()));
    }
    return new HostIdentity(
        id,
        text("hostname", hello.getHostname()),
        text("os", hello.getOs()),
        hello.getCores(),
        text("agent version", hello.getAgentVersion()),
        hello.getEpoch(),
        hello.getIntervalMs());
  }

  static StoredSample sample(Snapshot snapshot, HostIdentity identity)
      throws InvalidMessageException {
    if (snapshot.getSeq() < 1) {
      throw new InvalidMessageException("snapshot seq must start at 1");
    }
    Families families = families(snapshot);
    if (!snapshot.hasCpu()) {
      if (families.equals(Families.NONE)) {
        throw new InvalidMessageException("snapshot " + snapshot.getSeq() + " has no figures");
      }
      return new StoredSample(
          identity.epoch(),
          snapshot.getSeq(),
          Instant.ofEpochMilli(snapshot.getTimeMs()),
          snapshot.getIntervalMs(),
          null,
          families);
    }
    CpuSample cpu = snapshot.getCpu();
    if (cpu.getCoreBusyCount() != identity.cores()) {
      throw new InvalidMessageException(
          "snapshot "
              + snapshot.getSeq()
              + " has "
              + cpu.getCoreBusyCount()
              + " cores, the Hello said "
              + identity.cores());
    }
    int[] cores = new int[cpu.getCoreBusyCount()];
    for (int i = 0; i < cores.length; i++) {
      cores[i] = cpu.getCoreBusy(i);
    }
    try {
      return new StoredSample(
          identity.epoch(),
          snapshot.getSeq(),
          Instant.ofEpochMilli(snapshot.getTimeMs()),
          snapshot.getIntervalMs(),
          new CpuFigures(
              cpu.getBusy(),
              cores,
              cpu.getUser(),
              cpu.getNice(),
              cpu.getSystem(),
              cpu.getIowait(),
              cpu.getIrq(),
              cpu.getSoftirq(),
              cpu.getSteal(),
              cpu.getIdle()),
          families);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("snapshot " + snapshot.getSeq() + ": " + e.getMessage());
    }
  }

  /** The families besides CPU, checked; -1 stands for an unset optional. */
  static Families families(Snapshot snapshot) throws InvalidMessageException {
    long seq = snapshot.getSeq();
    if (snapshot.getFileSystemsCount() > MAX_DEVICES
        || snapshot.getDisksCount() > MAX_DEVICES
        || snapshot.getInterfacesCount() > MAX_DEVICES) {
      throw new InvalidMessageException(
          "snapshot " + seq + " has more than " + MAX_DEVICES + " devices of one kind");
    }
    try {
      MemoryFigures memory = null;
      if (snapshot.hasMemory()) {
        MemorySample m = snapshot.getMemory();
        memory =
            new MemoryFigures(
                size(m.getTotalBytes()),
                size(m.getAvailableBytes()),
                m.hasCachedBytes() ? size(m.getCachedBytes()) : -1,
                m.hasBuffersBytes() ? size(m.getBuffersBytes()) : -1,
                size(m.getSwapTotalBytes()),
                size(m.getSwapUsedBytes()),
                m.hasSwapInPagesX100() ? size(m.getSwapInPagesX100()) : -1,
                m.hasSwapOutPagesX100() ? size(m.getSwapOutPagesX100()) : -1);
      }
      SystemFigures system = null;
      if (snapshot.hasSystem()) {
        SystemSample s = snapshot.getSystem();
        system =
            new SystemFigures(
                s.hasLoad1X100() ? count(s.getLoad1X100()) : -1,
                s.hasLoad5X100() ? count(s.getLoad5X100()) : -1,
                s.hasLoad15X100() ? count(s.getLoad15X100()) : -1,
                size(s.getUptimeSeconds()),
                count(s.getProcesses()),
                count(s.getThreads()),
                s.hasContextSwitchesX100() ? size(s.getContextSwitchesX100()) : -1,
                s.hasInterruptsX100() ? size(s.getInterruptsX100()) : -1);
      }
      List<FileSystemFigures> fileSystems = new ArrayList<>(snapshot.getFileSystemsCount());
      for (FileSystemSample fs : snapshot.getFileSystemsList()) {
        fileSystems.add(
            new FileSystemFigures(
                name("mount", fs.getMount()),
                text("file system device", fs.getDevice()),
                text("file system type", fs.getType()),
                size(fs.getSizeBytes()),
                size(fs.getUsedBytes()),
                size(fs.getFreeBytes()),
                size(fs.getInodesTotal()),
                size(fs.getInodesUsed())));
      }
      List<DiskFigures> disks = new ArrayList<>(snapshot.getDisksCount());
      for (DiskSample d : snapshot.getDisksList()) {
        if (d.hasBusy() && Integer.compareUnsigned(d.getBusy(), 1000) > 0) {
          throw new IllegalArgumentException(
              "disk " + d.getDevice() + " busy must be within 0..1000 per mille");
        }
        disks.add(
            new DiskFigures(
                name("disk", d.getDevice()),
                d.hasReadBytesPerS() ? size(d.getReadBytesPerS()) : -1,
                d.hasWriteBytesPerS() ? size(d.getWriteBytesPerS()) : -1,
                d.hasReadOpsX100() ? size(d.getReadOpsX100()) : -1,
                d.hasWriteOpsX100() ? size(d.getWriteOpsX100()) : -1,
                d.hasBusy() ? d.getBusy() : -1));
      }
      List<InterfaceFigures> interfaces = new ArrayList<>(snapshot.getInterfacesCount());
      for (InterfaceSample n : snapshot.getInterfacesList()) {
        interfaces.add(
            new InterfaceFigures(
                name("interface", n.getName()),
                n.getUp(),
                n.hasRxBytesPerS() ? size(n.getRxBytesPerS()) : -1,
                n.hasTxBytesPerS() ? size(n.getTxBytesPerS()) : -1,
                n.hasRxPacketsX100() ? size(n.getRxPacketsX100()) : -1,
                n.hasTxPacketsX100() ? size(n.getTxPacketsX100()) : -1,
                n.hasRxErrorsX100() ? size(n.getRxErrorsX100()) : -1,
                n.hasTxErrorsX100() ? size(n.getTxErrorsX100()) : -1,
                n.hasRxDropsX100() ? size(n.getRxDropsX100()) : -1,
                n.hasTxDropsX100() ? size(n.getTxDropsX100()) : -1));
      }
      return new Families(memory, system, fileSystems, disks, interfaces);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("snapshot " + seq + ": " + e.getMessage());
    }
  }

  /** A uint64 from the wire that must fit a signed long (-1 is kept for "unknown"). */
  private static long size(long value) {
    if (value < 0) {
      throw new IllegalArgumentException("value out of range: " + Long.toUnsignedString(value));
    }
    return value;
  }

  /** A uint32 from the wire that must fit a signed int. */
  private static int count(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("value out of range: " + Integer.toUnsignedString(value));
    }
    return value;
  }

  private static String name(String what, String value) {
    if (value.isEmpty()
        || value.length() > MAX_TEXT_LENGTH
        || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          what + " name must be 1 to " + MAX_TEXT_LENGTH + " printable characters");
    }
    return value;
  }

  private static String text(String what, String value) throws InvalidMessageException {
    if (value.length() > MAX_TEXT_LENGTH) {
      throw new InvalidMessageException(
          what + " is longer than " + MAX_TEXT_LENGTH + " characters");
    }
    return value;
  }
}
