package io.vigia.collector.ingest;

import io.vigia.codec.CompactSnapshots;
import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.DiskFigures;
import io.vigia.collector.registry.Families;
import io.vigia.collector.registry.FileSystemFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.InterfaceFigures;
import io.vigia.collector.registry.MemoryFigures;
import io.vigia.collector.registry.StoredSample;
import io.vigia.collector.registry.SystemFigures;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Checks incoming messages and turns them into the registry's records; the only place the collector
 * reads {@code Hello} and {@code Snapshot} protobufs.
 */
final class FrameMapper {

  static final int MAX_ID_LENGTH = 128;
  static final int MAX_TEXT_LENGTH = 256;
  static final int MAX_CORES = 4096;

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
        hello.getIntervalMs(),
        new HostIdentity.Spool(
            hello.getSpoolDiskBytes(), hello.getSpoolOldestMs(), hello.getSpoolRecovered()));
  }

  /** Maps a parsed snapshot (classic, or compact for a Hello without a time base). */
  static StoredSample sample(Snapshot snapshot, HostIdentity identity)
      throws InvalidMessageException {
    return sample(RawSnapshot.from(snapshot, new RawSnapshot()), identity, 0);
  }

  /**
   * Checks the figures of one snapshot and turns them into the registry's record; the one mapping
   * behind both readers (the frame's bytes, a parsed message).
   *
   * @param timeBaseMillis the Hello's {@code time_base_ms}: the origin of compact times (0: none)
   */
  static StoredSample sample(RawSnapshot raw, HostIdentity identity, long timeBaseMillis)
      throws InvalidMessageException {
    long seq = raw.seq;
    if (seq < 1) {
      throw new InvalidMessageException("snapshot seq must start at 1");
    }
    long timeMillis = raw.timeMs;
    int intervalMillis = raw.intervalMs;
    if (raw.compactTime) {
      if (timeBaseMillis == 0) {
        throw new InvalidMessageException(
            "snapshot " + seq + " has a compact time, but the Hello carries no time base");
      }
      timeMillis =
          CompactSnapshots.timeMillis(
              timeBaseMillis, seq, identity.intervalMillis(), raw.timeSkewMs);
      intervalMillis = identity.intervalMillis() + raw.intervalSkewMs;
    }
    if (intervalMillis < 0) {
      throw new InvalidMessageException(
          "snapshot " + seq + " has an interval out of range: " + (intervalMillis & 0xFFFFFFFFL));
    }
    Families families = families(raw);
    if (!raw.hasCpu) {
      if (families.equals(Families.NONE)) {
        throw new InvalidMessageException("snapshot " + seq + " has no figures");
      }
      return new StoredSample(
          identity.epoch(), seq, Instant.ofEpochMilli(timeMillis), intervalMillis, null, families);
    }
    if (raw.coreCount != identity.cores()) {
      throw new InvalidMessageException(
          "snapshot "
              + seq
              + " has "
              + raw.coreCount
              + " cores, the Hello said "
              + identity.cores());
    }
    int[] modes = raw.modes;
    if (raw.packedModeCount > 0) {
      if (raw.packedModeCount < CompactSnapshots.MODES) {
        throw new InvalidMessageException(
            "snapshot "
                + seq
                + ": cpu modes lists "
                + raw.packedModeCount
                + " values, "
                + CompactSnapshots.MODES
                + " expected");
      }
      modes = raw.packedModes;
    }
    // CpuFigures copies the cores, so the scratch array can go in as it is (when it is full).
    int[] cores =
        raw.cores.length == raw.coreCount ? raw.cores : Arrays.copyOf(raw.cores, raw.coreCount);
    try {
      return new StoredSample(
          identity.epoch(),
          seq,
          Instant.ofEpochMilli(timeMillis),
          intervalMillis,
          new CpuFigures(
              raw.busy, cores, modes[0], modes[1], modes[2], modes[3], modes[4], modes[5], modes[6],
              modes[7]),
          families);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("snapshot " + seq + ": " + e.getMessage());
    }
  }

  /** The families besides CPU, checked; -1 stands for an unset optional. */
  static Families families(Snapshot snapshot) throws InvalidMessageException {
    return families(RawSnapshot.from(snapshot, new RawSnapshot()));
  }

  private static Families families(RawSnapshot raw) throws InvalidMessageException {
    long seq = raw.seq;
    if (raw.fileSystemCount > Families.MAX_DEVICES
        || raw.diskCount > Families.MAX_DEVICES
        || raw.interfaceCount > Families.MAX_DEVICES) {
      throw new InvalidMessageException(
          "snapshot " + seq + " has more than " + Families.MAX_DEVICES + " devices of one kind");
    }
    try {
      MemoryFigures memory = null;
      if (raw.hasMemory) {
        long[] m = raw.memory;
        int has = raw.memoryPresent;
        memory =
            new MemoryFigures(
                size(m[0]),
                size(m[1]),
                optionalSize(m[2], has, 3),
                optionalSize(m[3], has, 4),
                size(m[4]),
                size(m[5]),
                optionalSize(m[6], has, 7),
                optionalSize(m[7], has, 8));
      }
      SystemFigures system = null;
      if (raw.hasSystem) {
        long[] y = raw.system;
        int has = raw.systemPresent;
        system =
            new SystemFigures(
                optionalCount(y[0], has, 1),
                optionalCount(y[1], has, 2),
                optionalCount(y[2], has, 3),
                size(y[3]),
                count((int) y[4]),
                count((int) y[5]),
                optionalSize(y[6], has, 7),
                optionalSize(y[7], has, 8));
      }
      List<FileSystemFigures> fileSystems = List.of();
      if (raw.fileSystemCount > 0) {
        FileSystemFigures[] out = new FileSystemFigures[raw.fileSystemCount];
        for (int i = 0; i < out.length; i++) {
          RawSnapshot.Device d = raw.fileSystems[i];
          long[] v = d.values;
          out[i] =
              new FileSystemFigures(
                  checkedName(d, 0, "mount"),
                  checkedText(d, 1, "file system device"),
                  checkedText(d, 2, "file system type"),
                  size(v[4]),
                  size(v[5]),
                  size(v[6]),
                  size(v[7]),
                  size(v[8]));
        }
        fileSystems = listOf(out);
      }
      List<DiskFigures> disks = List.of();
      if (raw.diskCount > 0) {
        DiskFigures[] out = new DiskFigures[raw.diskCount];
        for (int i = 0; i < out.length; i++) {
          RawSnapshot.Device d = raw.disks[i];
          long[] v = d.values;
          int has = d.present;
          int busy = (int) v[6];
          boolean hasBusy = (has & 1 << 6) != 0;
          if (hasBusy && Integer.compareUnsigned(busy, 1000) > 0) {
            throw new IllegalArgumentException(
                "disk " + d.names[0] + " busy must be within 0..1000 per mille");
          }
          out[i] =
              new DiskFigures(
                  checkedName(d, 0, "disk"),
                  optionalSize(v[2], has, 2),
                  optionalSize(v[3], has, 3),
                  optionalSize(v[4], has, 4),
                  optionalSize(v[5], has, 5),
                  hasBusy ? busy : -1);
        }
        disks = listOf(out);
      }
      List<InterfaceFigures> interfaces = List.of();
      if (raw.interfaceCount > 0) {
        InterfaceFigures[] out = new InterfaceFigures[raw.interfaceCount];
        for (int i = 0; i < out.length; i++) {
          RawSnapshot.Device d = raw.interfaces[i];
          long[] v = d.values;
          int has = d.present;
          out[i] =
              new InterfaceFigures(
                  checkedName(d, 0, "interface"),
                  v[2] != 0,
                  optionalSize(v[3], has, 3),
                  optionalSize(v[4], has, 4),
                  optionalSize(v[5], has, 5),
                  optionalSize(v[6], has, 6),
                  optionalSize(v[7], has, 7),
                  optionalSize(v[8], has, 8),
                  optionalSize(v[9], has, 9),
                  optionalSize(v[10], has, 10));
        }
        interfaces = listOf(out);
      }
      if (memory == null
          && system == null
          && fileSystems.isEmpty()
          && disks.isEmpty()
          && interfaces.isEmpty()) {
        return Families.NONE;
      }
      return new Families(memory, system, fileSystems, disks, interfaces);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("snapshot " + seq + ": " + e.getMessage());
    }
  }

  // Families copies its lists with List.copyOf, which keeps an immutable list as it is.
  private static <T> List<T> listOf(T[] items) {
    return switch (items.length) {
      case 1 -> List.of(items[0]);
      case 2 -> List.of(items[0], items[1]);
      default -> List.of(items);
    };
  }

  /** A name checked unless it is the very String checked before (the reader reuses it). */
  private static String checkedName(RawSnapshot.Device d, int slot, String what) {
    String value = d.names[slot];
    if (value != d.checked[slot]) {
      d.checked[slot] = name(what, value);
    }
    return value;
  }

  private static String checkedText(RawSnapshot.Device d, int slot, String what)
      throws InvalidMessageException {
    String value = d.names[slot];
    if (value != d.checked[slot]) {
      d.checked[slot] = text(what, value);
    }
    return value;
  }

  private static long optionalSize(long value, int present, int field) {
    return (present & 1 << field) != 0 ? size(value) : -1;
  }

  private static int optionalCount(long value, int present, int field) {
    return (present & 1 << field) != 0 ? count((int) value) : -1;
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

  static String name(String what, String value) {
    if (value.isEmpty()
        || value.length() > MAX_TEXT_LENGTH
        || value.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException(
          what + " name must be 1 to " + MAX_TEXT_LENGTH + " printable characters");
    }
    return value;
  }

  static String text(String what, String value) throws InvalidMessageException {
    if (value.length() > MAX_TEXT_LENGTH) {
      throw new InvalidMessageException(
          what + " is longer than " + MAX_TEXT_LENGTH + " characters");
    }
    return value;
  }
}
