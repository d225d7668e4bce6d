package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigia.agent.sampling.FileSystemUsage;
import io.vigia.agent.sampling.LinuxMountsSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's file systems under its unit's sandbox are the host's. Two ext4 file systems (loop
 * devices) are mounted on this machine; the agent's sampler then runs in a mount namespace of its
 * own ({@code unshare -m}) where one is bind-mounted read-only over itself, as {@code
 * ProtectHome=read-only} does, and the other is covered by an empty tmpfs, as {@code
 * ProtectHome=yes} would. The first must be reported with its real type, device and size; the
 * second must not be reported with the tmpfs's figures. Needs root, as CI has.
 */
class SandboxedFileSystemsTest {

  @TempDir Path dir;
  private final List<Path> mounted = new ArrayList<>();

  /** Prints each file system the agent reports: mount, device, type, size. */
  public static void main(String[] args) {
    for (FileSystemUsage fs : new LinuxMountsSource().fileSystems()) {
      System.out.println(fs.mount() + " " + fs.device() + " " + fs.type() + " " + fs.sizeBytes());
    }
  }

  @AfterEach
  void unmount() throws Exception {
    for (Path mount : mounted) {
      run("umount", "-l", mount.toString());
    }
  }

  private Path ext4(String name) throws Exception {
    Path image = dir.resolve(name + ".img");
    try (var file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(32 << 20);
    }
    assertThat(run("mkfs.ext4", "-q", "-F", image.toString())).isTrue();
    Path mount = Files.createDirectory(dir.resolve(name));
    if (!run("mount", "-o", "loop", image.toString(), mount.toString())) {
      return null;
    }
    mounted.add(mount);
    return mount;
  }

  @Test
  void theHostsFileSystemsAreReportedFromInsideASandboxedNamespace() throws Exception {
    String why = "loop-mounting ext4 and unshare -m need root (CI runs as root)";
    Path home = ext4("home");
    Path masked = home == null ? null : ext4("masked");
    if ("true".equals(System.getenv("CI"))) {
      assertThat(masked).as(why).isNotNull();
    }
    assumeTrue(masked != null, why);
    String device = null;
    for (String mount : Files.readAllLines(Path.of("/proc/self/mounts"))) {
      if (mount.split(" ")[1].equals(home.toString())) {
        device = mount.split(" ")[0];
      }
    }
    assertThat(device).isNotNull();

    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String script =
        "mount --bind -o ro '"
            + home
            + "' '"
            + home
            + "' && mount -t tmpfs -o size=1m tmpfs '"
            + masked
            + "' && exec '"
            + java
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + SandboxedFileSystemsTest.class.getName();
    Process process =
        new ProcessBuilder("unshare", "-m", "--propagation", "private", "sh", "-c", script)
            .redirectErrorStream(true)
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as(out).isZero();

    String reported = line(home, out.lines().toList());
    assertThat(reported).as(out).isNotNull();
    String[] fields = reported.split(" ");
    assertThat(fields[1]).isEqualTo(device);
    assertThat(fields[2]).isEqualTo("ext4");
    // 32 MiB less ext4's own overhead; the 1 MiB tmpfs is far from it.
    assertThat(Long.parseLong(fields[3])).isBetween(20L << 20, 32L << 20);
    assertThat(line(masked, out.lines().toList()))
        .as("a file system covered here is not reported with the cover's figures:%n%s", out)
        .isNull();
  }

  /** The line the agent printed about mount point {@code mount}, or null. */
  private static String line(Path mount, List<String> lines) {
    for (String line : lines) {
      if (line.split(" ")[0].equals(mount.toString())) {
        return line;
      }
    }
    return null;
  }

  private static boolean run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
  }
}
