package io.vigia.collector.metrics;

import io.vigia.collector.registry.CpuFigures;
import java.util.List;

/**
 * The names of the CPU series, the same in {@code /metrics} and in remote write, so that a
 * dashboard built on one works on the other.
 */
public final class CpuSeries {

  /** Whole machine, busy share, 0 to 1; label {@code host}. */
  public static final String BUSY = "vigia_host_cpu_busy_ratio";

  /** One logical processor, busy share, 0 to 1; labels {@code host}, {@code core}. */
  public static final String UTILISATION = "vigia_host_cpu_utilisation_ratio";

  /** Whole machine, share per mode, 0 to 1; labels {@code host}, {@code mode}. */
  public static final String MODE = "vigia_host_cpu_mode_ratio";

  /** The {@code mode} label values, in the order of {@link #modes}. */
  public static final List<String> MODES =
      List.of("user", "nice", "system", "iowait", "irq", "softirq", "steal", "idle");

  private CpuSeries() {}

  /** The per-mode figures of {@code cpu}, per-mille, in the order of {@link #MODES}. */
  public static int[] modes(CpuFigures cpu) {
    return new int[] {
      cpu.user(),
      cpu.nice(),
      cpu.system(),
      cpu.iowait(),
      cpu.irq(),
      cpu.softirq(),
      cpu.steal(),
      cpu.idle()
    };
  }
}
