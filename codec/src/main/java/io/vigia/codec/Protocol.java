package io.vigia.codec;

/**
 * Constants of the Vigia wire protocol that both ends must agree on.
 *
 * <p>The schema itself is {@code proto/vigia.proto}; its generated classes live in {@code
 * io.vigia.proto}.
 */
public final class Protocol {

  /**
   * The newest protocol version this build speaks: an agent announces it in {@code
   * Hello.max_protocol_version}, a collector answers {@code min(VERSION, the agent's)} in {@code
   * Welcome}. Version 2 adds compact snapshots (see {@link CompactSnapshots}).
   */
  public static final int VERSION = 2;

  /**
   * The version an agent writes in {@code Hello.protocol_version}: 1 whatever it speaks, because a
   * collector of version 1 refuses any other number. Collectors accept 1 to {@link #VERSION}.
   */
  public static final int BASE_VERSION = 1;

  /** The first version with compact snapshots. */
  public static final int COMPACT_VERSION = 2;

  /** Default TCP port of the collector's agent listener. */
  public static final int DEFAULT_PORT = 7070;

  /** Default TCP port of the collector's HTTP side. */
  public static final int DEFAULT_HTTP_PORT = 7071;

  /**
   * Default largest frame body, in bytes, excluding the 4-byte length prefix. A peer that announces
   * more is disconnected before anything of that size is allocated.
   */
  public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

  /** Per-mille is the unit of every utilisation figure on the wire: 1000 is 100 %. */
  public static final int PER_MILLE_FULL = 1000;

  private Protocol() {}

  /**
   * Converts a ratio in [0, 1] to the per-mille integer the wire carries, rounding to the nearest
   * unit and clamping anything outside the range (NaN becomes 0).
   */
  public static int toPerMille(double ratio) {
    if (!(ratio > 0)) {
      return 0;
    }
    return (int) Math.min(PER_MILLE_FULL, Math.round(ratio * PER_MILLE_FULL));
  }

  /** Converts a per-mille figure from the wire to percent (1000 becomes 100.0). */
  public static double perMilleToPercent(int perMille) {
    return perMille / 10.0;
  }
}
