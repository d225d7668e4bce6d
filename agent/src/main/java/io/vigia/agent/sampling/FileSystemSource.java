package io.vigia.agent.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists every mounted file system with its space, pseudo ones included: the {@link DiskSampler}
 * decides what to skip.
 */
public interface FileSystemSource {

  /** Which mounts a caller wants sized: asked with the mount point and the file system type. */
  @FunctionalInterface
  interface Wanted {
    boolean test(String mount, String type);
  }

  List<FileSystemUsage> fileSystems();

  /**
   * Only the file systems {@code wanted} accepts. A source that can tell them apart before sizing
   * them (a system call each) overrides this, so the unwanted are never sized.
   */
  default List<FileSystemUsage> fileSystems(Wanted wanted) {
    List<FileSystemUsage> chosen = new ArrayList<>();
    for (FileSystemUsage fs : fileSystems()) {
      if (wanted.test(fs.mount(), fs.type())) {
        chosen.add(fs);
      }
    }
    return chosen;
  }
}
