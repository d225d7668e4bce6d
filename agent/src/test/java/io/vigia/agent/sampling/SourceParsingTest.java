package io.vigia.agent.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceParsingTest {

  @Test
  void meminfoValuesAreReadInBytes() {
    String meminfo =
        """
        MemTotal:       16315028 kB
        MemFree:          512000 kB
        Buffers:          204800 kB
        Cached:          8388608 kB
        SwapCached:            0 kB
        """;
    assertThat(OshiMemorySource.meminfoBytes(meminfo, "Cached:")).isEqualTo(8_589_934_592L);
    assertThat(OshiMemorySource.meminfoBytes(meminfo, "Buffers:")).isEqualTo(209_715_200L);
    assertThat(OshiMemorySource.meminfoBytes(meminfo, "MemTotal:")).isEqualTo(16_706_588_672L);
    assertThat(OshiMemorySource.meminfoBytes(meminfo, "Shmem:")).isEqualTo(-1);
  }

  @Test
  void mountsAreUnescapedAndTheLastMountOverAPathWins() {
    String table =
        """
        /dev/vda / ext4 rw,relatime 0 0
        proc /proc proc rw,relatime 0 0
        tmpfs /dev/shm tmpfs rw 0 0
        /dev/sdb1 /mnt/my\\040disk ext4 rw 0 0
        shm /dev/shm tmpfs rw 0 0
        """;
    assertThat(LinuxMountsSource.parse(table))
        .containsExactly(
            new LinuxMountsSource.Mount("/dev/vda", "/", "ext4"),
            new LinuxMountsSource.Mount("proc", "/proc", "proc"),
            new LinuxMountsSource.Mount("/dev/sdb1", "/mnt/my disk", "ext4"),
            new LinuxMountsSource.Mount("shm", "/dev/shm", "tmpfs"));
  }

  @Test
  void diskNamesLoseTheirDevPrefix() {
    assertThat(OshiDiskSource.shortName("/dev/nvme0n1")).isEqualTo("nvme0n1");
    assertThat(OshiDiskSource.shortName("sda")).isEqualTo("sda");
  }
}
