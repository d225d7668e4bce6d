package io.vigia.agent.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@EnabledOnOs(OS.LINUX)
class StatvfsTest {

  @TempDir Path dir;

  @Test
  void theDirectBindingIsMadeOn64BitLinux() {
    assumeTrue(System.getProperty("os.arch").matches("amd64|x86_64|aarch64"));
    assertThat(Statvfs.directlyBound()).isTrue();
  }

  @Test
  void theDirectBindingReadsWhatJnaStructureAndTheJdkRead() throws Exception {
    assumeTrue(Statvfs.directlyBound());
    for (Path path : new Path[] {Path.of("/"), dir}) {
      Statvfs.Usage direct = new Statvfs(true).of(path.toString());
      Statvfs.Usage structure = new Statvfs(false).of(path.toString());
      FileStore store = Files.getFileStore(path);

      assertThat(direct).as(path.toString()).isNotNull();
      assertThat(direct.size()).isEqualTo(structure.size()).isEqualTo(store.getTotalSpace());
      assertThat(direct.inodes()).isEqualTo(structure.inodes()).isPositive();
      // Free space and inodes move while the test runs: near, not equal.
      assertThat(direct.available()).isCloseTo(store.getUsableSpace(), within(64L << 20));
      assertThat(direct.free()).isCloseTo(structure.free(), within(64L << 20));
      assertThat(direct.free()).isGreaterThanOrEqualTo(direct.available() - (64L << 20));
      assertThat(direct.inodesFree()).isCloseTo(structure.inodesFree(), within(10_000L));
    }
  }

  @Test
  void aPathThatIsNotThereReadsAsNothing() {
    assertThat(new Statvfs().of(dir.resolve("gone").toString())).isNull();
    assertThat(new Statvfs(false).of(dir.resolve("gone").toString())).isNull();
  }

  private static org.assertj.core.data.Offset<Long> within(long bytes) {
    return org.assertj.core.data.Offset.offset(bytes);
  }
}
