package io.vigia.agent.link;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-agent credentials collectors issued to this agent, one per collector address (as given in
 * {@code --collector}) and agent id (so that agents sharing a state directory keep theirs apart),
 * kept in a file of the agent's state directory ({@code docs/format/pins.md}) so that they survive
 * restarts; or in memory only.
 *
 * <pre>{@code
 * AgentCredentials kept = AgentCredentials.inFile(Path.of("/var/lib/vigia-agent/credentials"));
 * String credential = kept.forCollector("monitor.example.org:7070", "web-1"); // "" if none yet
 * }</pre>
 *
 * <p>Thread-safety: safe from any thread. A new credential is written to the file off the calling
 * thread (an event loop must not wait for the disk), whole, through a temporary file renamed over
 * the old one; writes are ordered, so the file ends with the newest credentials.
 */
public final class AgentCredentials {

  private static final Logger log = LoggerFactory.getLogger(AgentCredentials.class);
  static final String MAGIC = "vigia-agent-credentials";
  static final int VERSION = 1;

  private final Path file;
  private final Map<String, String> byCollector = new TreeMap<>();
  private CompletableFuture<Void> lastWrite = CompletableFuture.completedFuture(null);

  private AgentCredentials(Path file, Map<String, String> loaded) {
    this.file = file;
    byCollector.putAll(loaded);
  }

  /** Credentials kept in memory: a restart of the agent loses them (tests, or {@code none}). */
  public static AgentCredentials inMemory() {
    return new AgentCredentials(null, Map.of());
  }

  /**
   * Credentials kept in {@code file}, read now if it exists.
   *
   * @throws IOException if it exists and cannot be read, or is not a credentials file this agent
   *     reads
   */
  public static AgentCredentials inFile(Path file) throws IOException {
    return new AgentCredentials(file, read(file));
  }

  /** Where they are kept, or null in memory. */
  public Path file() {
    return file;
  }

  /**
   * The credential of agent {@code id} for the collector at {@code collector} ("host:port"), or ""
   * if none.
   */
  public synchronized String forCollector(String collector, String id) {
    return byCollector.getOrDefault(key(collector, id), "");
  }

  /** A line's key: the collector, a space, the id percent-encoded (so it holds no space). */
  private static String key(String collector, String id) {
    return collector + " " + URLEncoder.encode(id, StandardCharsets.UTF_8);
  }

  /**
   * Keeps {@code credential} of agent {@code id} for {@code collector}, replacing any earlier one.
   *
   * @return completes once it is in the file (at once in memory)
   */
  public synchronized CompletableFuture<Void> keep(String collector, String id, String credential) {
    byCollector.put(key(collector, id), credential);
    if (file == null) {
      return CompletableFuture.completedFuture(null);
    }
    String text = format(byCollector);
    lastWrite =
        lastWrite
            .exceptionally(failed -> null)
            .thenRunAsync(
                () -> {
                  try {
                    write(file, text);
                  } catch (IOException e) {
                    log.error(
                        "Cannot write {}: {}; the agent will be refused by {} after a restart"
                            + " until an operator runs 'vigia pins reset' there",
                        file,
                        e.getMessage(),
                        collector);
                    throw new java.io.UncheckedIOException(e);
                  }
                });
    return lastWrite;
  }

  static Map<String, String> read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Map.of();
    }
    if (lines.isEmpty() || !lines.get(0).startsWith(MAGIC + " ")) {
      throw new IOException(file + " is not a Vigia agent credentials file");
    }
    String version = lines.get(0).substring(MAGIC.length() + 1).strip();
    if (!version.equals(Integer.toString(VERSION))) {
      throw new IOException(
          file
              + " is of version "
              + version
              + "; this agent reads version "
              + VERSION
              + " (written by a newer agent?)");
    }
    Map<String, String> found = new TreeMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split(" ");
      if (fields.length != 3) {
        throw new IOException(
            file + " line " + (i + 1) + ": expected 'HOST:PORT AGENT-ID CREDENTIAL'");
      }
      found.put(fields[0] + " " + fields[1], fields[2]);
    }
    return found;
  }

  static String format(Map<String, String> credentials) {
    StringBuilder out = new StringBuilder(MAGIC + " " + VERSION + "\n");
    out.append("# collector agent-id credential; secret: keep this file 0600\n");
    credentials.forEach(
        (collector, credential) ->
            out.append(collector).append(' ').append(credential).append('\n'));
    return out.toString();
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    try {
      Files.createFile(
          temporary,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      Files.createFile(temporary);
    }
    try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(true);
    }
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir =
        FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    }
  }

  @Override
  public String toString() {
    return file == null ? "in memory" : file.toString();
  }
}
