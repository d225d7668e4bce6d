package io.vigia.agent.link;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how much the agent spools on disk ({@code docs/format/spool.md}).
 *
 * @param dir the spool directory, held by one agent at a time
 * @param maxBytes the segments' total size, at most; past it the oldest segment goes
 * @param maxAge samples older than this go (a segment at a time)
 * @param syncEvery how often what was written is fsynced: at most this much is lost on a power cut,
 *     nothing on a crash of the process
 */
public record SpoolOnDisk(Path dir, long maxBytes, Duration maxAge, Duration syncEvery) {
  public SpoolOnDisk {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(maxAge, "maxAge");
    Objects.requireNonNull(syncEvery, "syncEvery");
    if (maxBytes < 128 << 10) {
      throw new IllegalArgumentException("a spool on disk needs at least 128 KiB: " + maxBytes);
    }
    if (syncEvery.isNegative() || syncEvery.isZero()) {
      throw new IllegalArgumentException("spool sync period must be positive: " + syncEvery);
    }
  }
}
