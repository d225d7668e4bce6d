package io.vigia.collector.remotewrite;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Where and how the collector pushes its samples with Prometheus remote write.
 *
 * <pre>{@code
 * var settings = new RemoteWriteSettings(
 *     List.of(URI.create("http://127.0.0.1:9090/api/v1/write")),
 *     RemoteWriteSettings.Auth.fromFiles(Path.of("/etc/vigia/remote-write.token"), null),
 *     RemoteWriteSettings.DEFAULT_QUEUE, RemoteWriteSettings.DEFAULT_BATCH);
 * }</pre>
 *
 * @param receivers remote-write endpoints, http or https; each gets its own queue
 * @param auth credentials sent to every receiver
 * @param queueCapacity samples (stored snapshots) queued per receiver; when full the oldest go
 * @param maxBatch samples in one request at most
 * @param caFile PEM file of the CAs that https receivers' certificates must chain to, or null for
 *     the system's CAs
 */
public record RemoteWriteSettings(
    List<URI> receivers, Auth auth, int queueCapacity, int maxBatch, Path caFile) {

  /** An hour of 100 hosts at a 5 s interval. */
  public static final int DEFAULT_QUEUE = 72_000;

  /**
   * 100 snapshots of a 16-core host are about 2,500 Prometheus samples, near Prometheus's 2,000.
   */
  public static final int DEFAULT_BATCH = 100;

  /** No receivers: nothing is pushed. */
  public static final RemoteWriteSettings NONE =
      new RemoteWriteSettings(List.of(), Auth.NONE, DEFAULT_QUEUE, DEFAULT_BATCH);

  /** The system's CAs for https receivers. */
  public RemoteWriteSettings(List<URI> receivers, Auth auth, int queueCapacity, int maxBatch) {
    this(receivers, auth, queueCapacity, maxBatch, null);
  }

  public RemoteWriteSettings {
    receivers = List.copyOf(receivers);
    Objects.requireNonNull(auth, "auth");
    for (URI receiver : receivers) {
      check(receiver);
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("the queue must hold at least 1 sample: " + queueCapacity);
    }
    if (maxBatch < 1) {
      throw new IllegalArgumentException("a batch must hold at least 1 sample: " + maxBatch);
    }
  }

  /**
   * Checks that {@code caFile} holds PEM certificates, before the collector starts.
   *
   * @throws IOException naming the file and what is wrong with it
   */
  public static void checkCaFile(Path caFile) throws IOException {
    ReceiverTrust.fromPemFile(caFile);
  }

  /** Rejects what is not an absolute http(s) URL with a host, or carries credentials. */
  public static URI check(URI receiver) {
    String scheme = receiver.getScheme();
    if (scheme == null
        || !(scheme.equals("http") || scheme.equals("https"))
        || receiver.getHost() == null) {
      throw new IllegalArgumentException(
          "remote-write URL '"
              + receiver
              + "' is not an http:// or https:// URL; write it like"
              + " http://prometheus.example.org:9090/api/v1/write");
    }
    if (receiver.getRawUserInfo() != null) {
      // It would show in logs, /metrics and the API: credentials come from files.
      throw new IllegalArgumentException(
          "remote-write URL '"
              + receiver.getHost()
              + "' carries credentials; put them in a file and use --remote-write-basic-auth-file"
              + " or --remote-write-bearer-token-file");
    }
    return receiver;
  }

  /**
   * Credentials for the receivers: a bearer token, or a user and password for basic authentication,
   * or neither.
   */
  public record Auth(String bearerToken, String user, String password) {
    public static final Auth NONE = new Auth(null, null, null);

    public Auth {
      if (bearerToken != null && user != null) {
        throw new IllegalArgumentException(
            "give either a bearer token or basic authentication for remote write, not both");
      }
      if ((user == null) != (password == null)) {
        throw new IllegalArgumentException("basic authentication needs a user and a password");
      }
    }

    /**
     * Reads a bearer token (the file's content, surrounding white space removed) or a basic
     * authentication file (one line {@code user:password}); either path may be null.
     *
     * @throws IOException naming the file that cannot be read
     * @throws IllegalArgumentException naming the file whose content is unusable
     */
    public static Auth fromFiles(Path bearerTokenFile, Path basicAuthFile) throws IOException {
      if (bearerTokenFile != null && basicAuthFile != null) {
        throw new IllegalArgumentException(
            "give either a bearer token file or a basic authentication file for remote write,"
                + " not both");
      }
      if (bearerTokenFile != null) {
        String token = read(bearerTokenFile);
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
          throw new IllegalArgumentException(
              bearerTokenFile + " must hold one token of printable characters, without spaces");
        }
        return new Auth(token, null, null);
      }
      if (basicAuthFile != null) {
        String line = read(basicAuthFile);
        int colon = line.indexOf(':');
        if (colon < 1 || line.contains("\n")) {
          throw new IllegalArgumentException(basicAuthFile + " must hold one line user:password");
        }
        return new Auth(null, line.substring(0, colon), line.substring(colon + 1));
      }
      return NONE;
    }

    private static String read(Path file) throws IOException {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    }

    @Override
    public String toString() {
      return bearerToken != null ? "bearer token" : user != null ? "basic auth " + user : "none";
    }
  }
}
