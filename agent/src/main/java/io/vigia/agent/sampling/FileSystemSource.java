package io.vigia.agent.sampling;

import java.util.List;

/**
 * Lists every mounted file system with its space, pseudo ones included: the {@link DiskSampler}
 * decides what to skip.
 */
public interface FileSystemSource {

  List<FileSystemUsage> fileSystems();
}
