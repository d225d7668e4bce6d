package io.vigia.collector.registry;

import java.util.Arrays;
import java.util.Objects;

/**
 * CPU utilisation over one interval, in per-mille (1000 is 100 %), as the agent measured it.
 *
 * @param busy the whole machine: every mode but idle and iowait
 * @param coreBusy each logical processor, in order (a copy is kept and handed out)
 */
public record CpuFigures(
    int busy,
    int[] coreBusy,
    int user,
    int nice,
    int system,
    int iowait,
    int irq,
    int softirq,
    int steal,
    int idle) {

  public CpuFigures {
    coreBusy = coreBusy.clone();
    check("busy", busy);
    for (int value : coreBusy) {
      check("core busy", value);
    }
    check("user", user);
    check("nice", nice);
    check("system", system);
    check("iowait", iowait);
    check("irq", irq);
    check("softirq", softirq);
    check("steal", steal);
    check("idle", idle);
  }

  @Override
  public int[] coreBusy() {
    return coreBusy.clone();
  }

  public int cores() {
    return coreBusy.length;
  }

  public int coreBusy(int core) {
    return coreBusy[core];
  }

  private static void check(String what, int perMille) {
    if (perMille < 0 || perMille > 1000) {
      throw new IllegalArgumentException(what + " must be within 0..1000 per mille: " + perMille);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CpuFigures other
        && busy == other.busy
        && Arrays.equals(coreBusy, other.coreBusy)
        && user == other.user
        && nice == other.nice
        && system == other.system
        && iowait == other.iowait
        && irq == other.irq
        && softirq == other.softirq
        && steal == other.steal
        && idle == other.idle;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        busy, Arrays.hashCode(coreBusy), user, nice, system, iowait, irq, softirq, steal, idle);
  }

  @Override
  public String toString() {
    return "CpuFigures[busy=" + busy + ", coreBusy=" + Arrays.toString(coreBusy) + "]";
  }
}
