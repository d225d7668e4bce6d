package io.vigia.agent.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import oshi.SystemInfo;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.util.GlobalConfig;

/**
 * On this real machine, the {@code /proc} sources and the OSHI sources they replace read the same
 * devices and the same figures, so that a parsing mistake (a shifted column, a wrong unit) fails
 * here. Counters keep moving between the two reads, so they must agree within a small tolerance.
 */
class ProcAgreesWithOshiTest {

  private static SystemInfo system;
  private static HardwareAbstractionLayer hardware;

  @BeforeAll
  static void linuxOnly() {
    assumeTrue(LinuxHost.available(), "needs Linux with /proc");
    GlobalConfig.set("oshi.util.memoizer.expiration", 0);
    system = new SystemInfo();
    hardware = system.getHardware();
  }

  /** Within {@code slack} plus 2 % of the value: what a busy counter can move between two reads. */
  private static void assertClose(String what, long proc, long oshi, long slack) {
    assertThat(proc).as(what).isCloseTo(oshi, within(slack + Math.abs(oshi) / 50));
  }

  @Test
  void cpuTicksAgreePerCoreAndMode() {
    long[][] oshi = new OshiCpuTicksSource(hardware.getProcessor()).coreTicks();
    long[][] proc = new ProcCpuTicksSource("", LinuxHost.presentProcessors("")).coreTicks();

    assertThat(proc).hasSameDimensionsAs(oshi);
    for (int core = 0; core < proc.length; core++) {
      for (CpuMode mode : CpuMode.values()) {
        // OSHI and /proc both count milliseconds here; a busy core moves ~1 s of ticks per second.
        assertClose(
            "core " + core + " " + mode,
            proc[core][mode.ordinal()],
            oshi[core][mode.ordinal()],
            1_000);
      }
    }
  }

  @Test
  void systemFiguresAgree() {
    SystemReading oshi =
        new OshiSystemSource(hardware.getProcessor(), system.getOperatingSystem()).read();
    SystemReading proc = new ProcSystemSource("").read();

    assertThat(proc.load1()).isCloseTo(oshi.load1(), within(0.5));
    assertThat(proc.load15()).isCloseTo(oshi.load15(), within(0.5));
    assertThat(proc.uptimeSeconds()).isCloseTo(oshi.uptimeSeconds(), within(2L));
    assertClose("processes", proc.processes(), oshi.processes(), 20);
    assertClose("threads", proc.threads(), oshi.threads(), 100);
    assertClose("context switches", proc.contextSwitches(), oshi.contextSwitches(), 100_000);
    assertClose("interrupts", proc.interrupts(), oshi.interrupts(), 100_000);
  }

  @Test
  void memoryFiguresAgree() {
    MemoryReading oshi = new OshiMemorySource(hardware.getMemory()).read();
    MemoryReading proc = new ProcMemorySource("").read();

    assertThat(proc.totalBytes()).isEqualTo(oshi.totalBytes());
    assertThat(proc.swapTotalBytes()).isEqualTo(oshi.swapTotalBytes());
    assertClose("available", proc.availableBytes(), oshi.availableBytes(), 64L << 20);
    assertClose("cached", proc.cachedBytes(), oshi.cachedBytes(), 64L << 20);
    assertClose("buffers", proc.buffersBytes(), oshi.buffersBytes(), 16L << 20);
    assertClose("swap used", proc.swapUsedBytes(), oshi.swapUsedBytes(), 16L << 20);
    assertClose("swap in", proc.swapPagesIn(), oshi.swapPagesIn(), 1_000);
    assertClose("swap out", proc.swapPagesOut(), oshi.swapPagesOut(), 1_000);
  }

  @Test
  void theSameWholeDisksWithTheSameCounters() {
    Map<String, DiskReading> oshi =
        byName(new OshiDiskSource(hardware).disks(), DiskReading::device);
    Map<String, DiskReading> proc = byName(new ProcDiskSource("").disks(), DiskReading::device);
    // Both skip nothing the sampler keeps; the sampler drops loop and RAM disks from either.
    oshi.keySet().removeIf(DiskSampler::isVirtualCopy);
    proc.keySet().removeIf(DiskSampler::isVirtualCopy);

    assertThat(proc.keySet()).isEqualTo(oshi.keySet());
    for (String device : proc.keySet()) {
      DiskReading p = proc.get(device);
      DiskReading o = oshi.get(device);
      assertClose(device + " read bytes", p.readBytes(), o.readBytes(), 64L << 20);
      assertClose(device + " write bytes", p.writeBytes(), o.writeBytes(), 64L << 20);
      assertClose(device + " reads", p.reads(), o.reads(), 5_000);
      assertClose(device + " writes", p.writes(), o.writes(), 5_000);
      assertClose(device + " busy ms", p.busyMillis(), o.busyMillis(), 5_000);
    }
  }

  @Test
  void everyInterfaceOshiSeesWithTheSameStateAndCounters() throws SocketException {
    Map<String, InterfaceReading> oshi =
        byName(new OshiInterfaceSource(hardware).interfaces(), InterfaceReading::name);
    Map<String, InterfaceReading> proc =
        byName(new ProcInterfaceSource("").interfaces(), InterfaceReading::name);

    assertThat(proc.keySet()).containsAll(oshi.keySet());
    for (String extra : proc.keySet()) {
      if (!oshi.containsKey(extra)) {
        // OSHI goes through java.net, which lists only interfaces that have an address.
        NetworkInterface java = NetworkInterface.getByName(extra);
        assertThat(java == null || !java.getInetAddresses().hasMoreElements())
            .as("%s, which OSHI did not list, has no address", extra)
            .isTrue();
      }
    }
    for (String name : oshi.keySet()) {
      InterfaceReading p = proc.get(name);
      InterfaceReading o = oshi.get(name);
      assertThat(p.up()).as(name + " up").isEqualTo(o.up());
      assertThat(p.loopback()).as(name + " loopback").isEqualTo(o.loopback());
      assertClose(name + " rx bytes", p.rxBytes(), o.rxBytes(), 64L << 20);
      assertClose(name + " tx bytes", p.txBytes(), o.txBytes(), 64L << 20);
      assertClose(name + " rx packets", p.rxPackets(), o.rxPackets(), 50_000);
      assertClose(name + " tx packets", p.txPackets(), o.txPackets(), 50_000);
      assertClose(name + " rx errors", p.rxErrors(), o.rxErrors(), 10);
      assertClose(name + " tx errors", p.txErrors(), o.txErrors(), 10);
      assertClose(name + " rx drops", p.rxDrops(), o.rxDrops(), 10);
      assertClose(name + " tx drops", p.txDrops(), o.txDrops(), 10);
    }
  }

  @Test
  void onlyTheWantedMountsAreSizedAndTheyMatchTheFullList() {
    LinuxMountsSource source = new LinuxMountsSource();
    List<FileSystemUsage> all = source.fileSystems();
    List<FileSystemUsage> root = source.fileSystems((mount, type) -> mount.equals("/"));

    assertThat(root).extracting(FileSystemUsage::mount).containsExactly("/");
    FileSystemUsage fromAll =
        all.stream().filter(fs -> fs.mount().equals("/")).findFirst().orElseThrow();
    assertThat(root.get(0).sizeBytes()).isEqualTo(fromAll.sizeBytes());
    assertThat(root.get(0).inodesTotal()).isEqualTo(fromAll.inodesTotal());
  }

  @Test
  void hostFactsAgree() {
    HostFacts oshi = OshiSamplers.facts(system);
    HostFacts proc = LinuxHost.facts("");

    assertThat(proc.hostname()).isEqualTo(oshi.hostname());
    assertThat(proc.cores()).isEqualTo(oshi.cores());
    // The distribution part comes from os-release in both, but OSHI has per-distribution quirks;
    // the form and the kernel release must match.
    assertThat(proc.os()).startsWith("GNU/Linux ");
    assertThat(proc.os().substring(proc.os().lastIndexOf(" build ")))
        .isEqualTo(oshi.os().substring(oshi.os().lastIndexOf(" build ")));
  }

  private static <T> Map<String, T> byName(List<T> readings, Function<T, String> name) {
    return readings.stream()
        .collect(Collectors.toMap(name, Function.identity(), (a, b) -> a, TreeMap::new));
  }
}
