package io.vigia.codec;

import io.vigia.proto.CpuSample;
import io.vigia.proto.Snapshot;

/**
 * The two encodings of a {@link Snapshot}'s timing and CPU modes, and the conversions between them.
 *
 * <p>Classic (protocol 1) carries {@code time_ms}, {@code interval_ms} and eight tagged CPU modes.
 * Compact (protocol 2) carries the time as a skew from a schedule both ends know, {@code
 * Hello.time_base_ms + seq * Hello.interval_ms}, the interval as a skew from the Hello's, and the
 * modes as one packed field:
 *
 * <pre>
 * 16-core CPU snapshot, seq 123456, 4-byte length prefix included (scripts/bench-sizes):
 *   classic  72 bytes   time_ms 7 B, interval_ms 3 B, eight tagged modes
 *   compact  60 bytes   time_skew_ms 2 B (7 ms), interval_skew_ms 2 B (3 ms), one packed field
 * </pre>
 *
 * <p>An agent sends compact snapshots only on a link whose {@code Welcome} says version {@link
 * Protocol#COMPACT_VERSION} or later; a collector reads both. Stateless.
 */
public final class CompactSnapshots {

  /**
   * CPU modes in {@code CpuSample.modes}: user, nice, system, iowait, irq, softirq, steal, idle.
   */
  public static final int MODES = 8;

  private CompactSnapshots() {}

  /** True when {@code snapshot} uses the compact timing (and so {@code Hello.time_base_ms}). */
  public static boolean isCompact(Snapshot snapshot) {
    return snapshot.hasTimeSkewMs();
  }

  /** The sample time of a compact snapshot, Unix milliseconds. */
  public static long timeMillis(long timeBaseMillis, long seq, int helloIntervalMillis, long skew) {
    return timeBaseMillis + seq * Integer.toUnsignedLong(helloIntervalMillis) + skew;
  }

  /** What a compact snapshot carries for {@code timeMillis}. */
  public static long timeSkew(
      long timeMillis, long timeBaseMillis, long seq, int helloIntervalMillis) {
    return timeMillis - timeMillis(timeBaseMillis, seq, helloIntervalMillis, 0);
  }

  /**
   * The classic form of {@code snapshot}: itself when it is classic already.
   *
   * @param timeBaseMillis {@code Hello.time_base_ms} of the agent run that wrote it
   * @param helloIntervalMillis {@code Hello.interval_ms} of that run
   * @throws IllegalArgumentException if its packed CPU modes are fewer than {@link #MODES}
   */
  public static Snapshot expand(Snapshot snapshot, long timeBaseMillis, int helloIntervalMillis) {
    boolean packedModes = snapshot.hasCpu() && snapshot.getCpu().getModesCount() > 0;
    if (!isCompact(snapshot) && !packedModes) {
      return snapshot;
    }
    Snapshot.Builder b = snapshot.toBuilder();
    if (isCompact(snapshot)) {
      b.setTimeMs(
              timeMillis(
                  timeBaseMillis, snapshot.getSeq(), helloIntervalMillis, snapshot.getTimeSkewMs()))
          .setIntervalMs(helloIntervalMillis + snapshot.getIntervalSkewMs())
          .clearTimeSkewMs()
          .clearIntervalSkewMs();
    }
    if (packedModes) {
      CpuSample cpu = snapshot.getCpu();
      if (cpu.getModesCount() < MODES) {
        throw new IllegalArgumentException(
            "cpu modes lists " + cpu.getModesCount() + " values, " + MODES + " expected");
      }
      b.setCpu(
          cpu.toBuilder()
              .clearModes()
              .setUser(cpu.getModes(0))
              .setNice(cpu.getModes(1))
              .setSystem(cpu.getModes(2))
              .setIowait(cpu.getModes(3))
              .setIrq(cpu.getModes(4))
              .setSoftirq(cpu.getModes(5))
              .setSteal(cpu.getModes(6))
              .setIdle(cpu.getModes(7)));
    }
    return b.build();
  }

  /**
   * The compact form of a classic {@code snapshot}, for the run whose Hello carries {@code
   * timeBaseMillis} and {@code helloIntervalMillis}; itself when it is compact already.
   */
  public static Snapshot compact(Snapshot snapshot, long timeBaseMillis, int helloIntervalMillis) {
    if (isCompact(snapshot)) {
      return snapshot;
    }
    Snapshot.Builder b =
        snapshot.toBuilder()
            .clearTimeMs()
            .clearIntervalMs()
            .setTimeSkewMs(
                timeSkew(
                    snapshot.getTimeMs(), timeBaseMillis, snapshot.getSeq(), helloIntervalMillis))
            .setIntervalSkewMs(snapshot.getIntervalMs() - helloIntervalMillis);
    if (snapshot.hasCpu() && snapshot.getCpu().getModesCount() == 0) {
      CpuSample cpu = snapshot.getCpu();
      b.setCpu(
          cpu.toBuilder()
              .clearUser()
              .clearNice()
              .clearSystem()
              .clearIowait()
              .clearIrq()
              .clearSoftirq()
              .clearSteal()
              .clearIdle()
              .addModes(cpu.getUser())
              .addModes(cpu.getNice())
              .addModes(cpu.getSystem())
              .addModes(cpu.getIowait())
              .addModes(cpu.getIrq())
              .addModes(cpu.getSoftirq())
              .addModes(cpu.getSteal())
              .addModes(cpu.getIdle()));
    }
    return b.build();
  }
}
