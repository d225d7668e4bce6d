package io.vigia.agent.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
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
  void aMountPointOutsideAsciiIsSizedUnderSystemdWithoutALocale() throws Exception {
    assumeTrue(Statvfs.directlyBound());
    Path accented = Files.createDirectory(dir.resolve("donn\u00e9es \u6570\u636e"));
    String hex = HexFormat.of().formatHex(accented.toString().getBytes(StandardCharsets.UTF_8));
    // A child JVM with no LANG or LC_*, as systemd starts the agent: its native encoding is
    // US-ASCII, which JNA would use for a String argument.
    ProcessBuilder child =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            SizeOf.class.getName(),
            hex);
    child.environment().keySet().removeIf(name -> name.equals("LANG") || name.startsWith("LC_"));
    child.redirectErrorStream(true);
    Process process = child.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(output)
        .startsWith("native.encoding=ANSI_X3.4-1968 ")
        .endsWith(" size=" + Files.getFileStore(accented).getTotalSpace());
  }

  /** The child of the test above: sizes the path whose UTF-8 bytes it gets in hexadecimal. */
  static final class SizeOf {
    public static void main(String[] args) {
      String path = new String(HexFormat.of().parseHex(args[0]), StandardCharsets.UTF_8);
      Statvfs.Usage usage = new Statvfs().of(path);
      System.out.print(
          "native.encoding="
              + System.getProperty("native.encoding")
              + " size="
              + (usage == null ? "none" : usage.size()));
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
