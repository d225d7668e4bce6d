package io.vigia.agent.sampling;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * CPU utilisation over one interval, in per-mille (1000 is 100 %).
 *
 * @param busy the whole machine's busy share: every mode but idle and iowait
 * @param coreBusy each logical processor's busy share, in processor order
 * @param modes the whole machine's share per {@link CpuMode}, indexed by ordinal; they add up to
 *     about 1000
 * @param covered the real time between the two counter readings
 */
public record CpuUsage(int busy, int[] coreBusy, int[] modes, Duration covered) {

  public CpuUsage {
    checkPerMille("busy", busy);
    coreBusy = coreBusy.clone();
    for (int value : coreBusy) {
      checkPerMille("core busy", value);
    }
    modes = modes.clone();
    if (modes.length != CpuMode.COUNT) {
      throw new IllegalArgumentException("expected " + CpuMode.COUNT + " modes: " + modes.length);
    }
    for (int value : modes) {
      checkPerMille("mode", value);
    }
    Objects.requireNonNull(covered, "covered");
  }

  /** A copy of the per-core figures. */
  @Override
  public int[] coreBusy() {
    return coreBusy.clone();
  }

  /** A copy of the per-mode figures. */
  @Override
  public int[] modes() {
    return modes.clone();
  }

  public int mode(CpuMode mode) {
    return modes[mode.ordinal()];
  }

  public int cores() {
    return coreBusy.length;
  }

  private static void checkPerMille(String what, int value) {
    if (value < 0 || value > 1000) {
      throw new IllegalArgumentException(what + " must be within 0..1000 per mille: " + value);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CpuUsage other
        && busy == other.busy
        && Arrays.equals(coreBusy, other.coreBusy)
        && Arrays.equals(modes, other.modes)
        && covered.equals(other.covered);
  }

  @Override
  public int hashCode() {
    return Objects.hash(busy, Arrays.hashCode(coreBusy), Arrays.hashCode(modes), covered);
  }

  @Override
  public String toString() {
    return "CpuUsage[busy="
        + busy
        + ", coreBusy="
        + Arrays.toString(coreBusy)
        + ", modes="
        + Arrays.toString(modes)
        + ", covered="
        + covered
        + "]";
  }
}
