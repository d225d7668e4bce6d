package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a program these tests run for real (Prometheus, promtool, systemd-analyze). Where it is
 * missing, the test is skipped with a message that says how to install it, except in CI ({@code
 * CI=true}), whose {@code .ci/run} installs it: there a missing program fails the test.
 */
final class ExternalTool {

  private ExternalTool() {}

  static Path require(String program, String debianPackage) {
    Optional<Path> found =
        Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
            .map(dir -> Path.of(dir, program))
            .filter(Files::isExecutable)
            .findFirst();
    String missing =
        program
            + " is not installed; install it with 'apt-get install "
            + debianPackage
            + "' (.ci/run does)";
    if ("true".equals(System.getenv("CI"))) {
      assertThat(found).as(missing).isPresent();
    }
    assumeTrue(found.isPresent(), missing);
    return found.get();
  }

  /** The root of this checkout, where scripts/ is. */
  static Path checkout() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("scripts"))) {
      dir = dir.getParent();
    }
    assertThat(dir)
        .as("a checkout with scripts/ above " + Path.of("").toAbsolutePath())
        .isNotNull();
    return dir;
  }
}
