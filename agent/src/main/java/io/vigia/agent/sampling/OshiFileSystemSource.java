package io.vigia.agent.sampling;

import java.util.ArrayList;
import java.util.List;
import oshi.software.os.FileSystem;
import oshi.software.os.OSFileStore;

/**
 * Lists file systems through OSHI, for systems other than Linux (see {@link LinuxMountsSource}).
 * OSHI already leaves out what it considers pseudo file systems there.
 */
public final class OshiFileSystemSource implements FileSystemSource {

  private final FileSystem fileSystem;

  public OshiFileSystemSource(FileSystem fileSystem) {
    this.fileSystem = fileSystem;
  }

  @Override
  public List<FileSystemUsage> fileSystems() {
    List<OSFileStore> stores = fileSystem.getFileStores();
    List<FileSystemUsage> result = new ArrayList<>(stores.size());
    for (OSFileStore store : stores) {
      long size = store.getTotalSpace();
      long inodes = store.getTotalInodes();
      result.add(
          new FileSystemUsage(
              store.getMount(),
              store.getVolume(),
              store.getType(),
              size,
              Math.max(0, size - store.getFreeSpace()),
              store.getUsableSpace(),
              Math.max(0, inodes),
              Math.max(0, inodes - store.getFreeInodes())));
    }
    return result;
  }
}
