package io.vigia.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive hold on a data directory, so that two processes never write one journal: an OS file
 * lock on {@code DIR/lock}, which the kernel releases when the process dies however it dies (so a
 * {@code kill -9} leaves no stale lock to clean up). The file holds the holder's pid, for the
 * message the next one prints.
 */
public final class DirectoryLock implements AutoCloseable {

  /** The directory is held by another process (or by this one, through another lock). */
  public static final class HeldException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String holder;

    HeldException(String message, String holder) {
      super(message);
      this.holder = holder;
    }

    /** The pid written by the process that holds the lock, or "" if it cannot be read. */
    public String holder() {
      return holder;
    }
  }

  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dir}, creating the directory if need be.
   *
   * @throws HeldException if another process holds it; the message names its pid
   * @throws IOException if the directory cannot be created or written
   */
  public static DirectoryLock acquire(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("lock");
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException sameProcess) {
      lock = null;
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw new HeldException(
          dir
              + " is in use by another running process"
              + (holder.isEmpty() ? "" : " (pid " + holder + ")")
              + "; stop it, or give this one a directory of its own",
          holder);
    }
    try {
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(pid), 0);
    } catch (IOException e) {
      lock.release();
      channel.close();
      throw e;
    }
    return new DirectoryLock(channel, lock);
  }

  private static String holder(FileChannel channel) {
    try {
      ByteBuffer bytes = ByteBuffer.allocate(32);
      channel.read(bytes, 0);
      return new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }
}
