package io.vigia.agent.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
  void theMountTableIsReadAgainEveryRoundAndAChangeShowsAtOnce(@TempDir Path dir) throws Exception {
    Path table = dir.resolve("mounts");
    Path data = Files.createDirectory(dir.resolve("data"));
    Files.writeString(table, "/dev/vda / ext4 rw 0 0\nproc /proc proc rw 0 0\n");
    LinuxMountsSource source = new LinuxMountsSource(table.toString());

    assertThat(source.fileSystems())
        .extracting(FileSystemUsage::mount)
        .containsExactly("/", "/proc");
    assertThat(source.fileSystems())
        .extracting(FileSystemUsage::mount)
        .containsExactly("/", "/proc");

    Files.writeString(
        table,
        "/dev/vda / ext4 rw 0 0\nproc /proc proc rw 0 0\n/dev/vdb " + data + " xfs rw 0 0\n");
    assertThat(source.fileSystems())
        .extracting(FileSystemUsage::mount, FileSystemUsage::device, FileSystemUsage::type)
        .containsExactly(
            tuple("/", "/dev/vda", "ext4"),
            tuple("/proc", "proc", "proc"),
            tuple(data.toString(), "/dev/vdb", "xfs"));

    Files.writeString(table, "/dev/vda / ext4 rw 0 0\n");
    assertThat(source.fileSystems()).extracting(FileSystemUsage::mount).containsExactly("/");
  }

  @Test
  void namesAreComparedByteForByteAndDecodedOnlyWhenNotAscii() {
    ProcText text = ProcText.of("eth0 eth01 eth1 caf\u00e9 caf\u00e8");
    assertThat(text.regionEquals(0, 4, "eth0")).isTrue();
    assertThat(text.regionEquals(0, 4, "eth1")).isFalse();
    assertThat(text.regionEquals(0, 4, "eth")).isFalse();
    assertThat(text.regionEquals(0, 4, "eth01")).isFalse();
    assertThat(text.regionEquals(5, 10, "eth01")).isTrue();
    assertThat(text.regionEquals(5, 10, "eth0")).isFalse();
    assertThat(text.regionEquals(16, 21, "caf\u00e9")).isTrue(); // 5 bytes, 4 characters
    assertThat(text.regionEquals(16, 21, "caf\u00e8")).isFalse();
    assertThat(text.regionEquals(22, 27, "caf\u00e8")).isTrue();
    assertThat(text.regionEquals(22, 27, "cafe")).isFalse();
    assertThat(text.regionEquals(22, 27, "caf")).isFalse();
  }

  @Test
  void diskNamesLoseTheirDevPrefix() {
    assertThat(OshiDiskSource.shortName("/dev/nvme0n1")).isEqualTo("nvme0n1");
    assertThat(OshiDiskSource.shortName("sda")).isEqualTo("sda");
  }
}
