package io.vigia.agent.sampling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One numbered sample of the host, as the agent sends it. Every family is optional: null (or an
 * empty list) when the agent does not sample it or had nothing complete to report this round.
 *
 * @param seq the position in this agent run's stream, from 1, without gaps
 * @param time when the sample was taken (the end of its interval)
 * @param interval the real time since the previous sampling round
 * @param cpu CPU utilisation, or null
 * @param memory memory and swap, or null
 * @param load load averages and whole-system figures, or null
 * @param fileSystems the mounted file systems reported
 * @param disks the block devices reported
 * @param interfaces the network interfaces reported
 */
public record Sample(
    long seq,
    Instant time,
    Duration interval,
    CpuUsage cpu,
    MemoryUsage memory,
    SystemLoad load,
    List<FileSystemUsage> fileSystems,
    List<DiskIo> disks,
    List<InterfaceIo> interfaces) {

  public Sample {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must start at 1: " + seq);
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(interval, "interval");
    fileSystems = List.copyOf(fileSystems);
    disks = List.copyOf(disks);
    interfaces = List.copyOf(interfaces);
  }

  /** A sample with CPU figures only, as agents before the other families sent. */
  public Sample(long seq, Instant time, Duration interval, CpuUsage cpu) {
    this(seq, time, interval, cpu, null, null, List.of(), List.of(), List.of());
  }

  public Optional<CpuUsage> cpuUsage() {
    return Optional.ofNullable(cpu);
  }

  /** Collects the families of one sampling round; numbered once it holds something. */
  public static final class Builder {
    private CpuUsage cpu;
    private MemoryUsage memory;
    private SystemLoad load;
    private List<FileSystemUsage> fileSystems = List.of();
    private List<DiskIo> disks = List.of();
    private List<InterfaceIo> interfaces = List.of();

    public Builder cpu(CpuUsage usage) {
      this.cpu = Objects.requireNonNull(usage, "usage");
      return this;
    }

    public Builder memory(MemoryUsage memory) {
      this.memory = Objects.requireNonNull(memory, "memory");
      return this;
    }

    public Builder load(SystemLoad load) {
      this.load = Objects.requireNonNull(load, "load");
      return this;
    }

    public Builder fileSystems(List<FileSystemUsage> fileSystems) {
      this.fileSystems = List.copyOf(fileSystems);
      return this;
    }

    public Builder disks(List<DiskIo> disks) {
      this.disks = List.copyOf(disks);
      return this;
    }

    public Builder interfaces(List<InterfaceIo> interfaces) {
      this.interfaces = List.copyOf(interfaces);
      return this;
    }

    /** True when no sampler added anything, so there is nothing to send this round. */
    public boolean isEmpty() {
      return cpu == null
          && memory == null
          && load == null
          && fileSystems.isEmpty()
          && disks.isEmpty()
          && interfaces.isEmpty();
    }

    Sample build(long seq, Instant time, Duration interval) {
      return new Sample(seq, time, interval, cpu, memory, load, fileSystems, disks, interfaces);
    }
  }
}
