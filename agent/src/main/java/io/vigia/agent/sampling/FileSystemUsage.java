package io.vigia.agent.sampling;

import java.util.Objects;

/**
 * Space and inodes of one mounted file system at the moment of a sample.
 *
 * @param mount where it is mounted ("/home")
 * @param device what is mounted there ("/dev/sda1")
 * @param type the file system type ("ext4")
 * @param freeBytes what unprivileged users may still use (without the root reserve)
 * @param inodesTotal 0 when the file system has no fixed number of inodes
 */
public record FileSystemUsage(
    String mount,
    String device,
    String type,
    long sizeBytes,
    long usedBytes,
    long freeBytes,
    long inodesTotal,
    long inodesUsed) {

  public FileSystemUsage {
    Objects.requireNonNull(mount, "mount");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(type, "type");
  }
}
