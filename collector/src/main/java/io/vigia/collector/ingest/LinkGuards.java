package io.vigia.collector.ingest;

import io.vigia.collector.registry.Families;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Who may hold an agent link and how much one link may send: the fleet token, the number of links
 * in total and per source address, and the snapshot rate of one link (a token bucket).
 *
 * <pre>{@code
 * var guards = new LinkGuards(token, 10_000, 256, 10, 3_600);
 * }</pre>
 *
 * @param token the shared fleet secret every {@code Hello} must carry; empty for none
 * @param maxLinks links open at once, handshake done or not
 * @param maxLinksPerAddress links open at once from one source IP address
 * @param snapshotsPerSecond the steady snapshot rate one link may keep up
 * @param snapshotBurst snapshots a link may send at once above that rate, such as the replay of a
 *     spool after an outage
 * @param maxCores cores a Hello may claim (and so figures a snapshot may carry), at most 4096
 * @param maxDevices file systems, disks or network interfaces of each kind in one snapshot, at most
 *     256
 * @param maxTextLength characters in the Hello's host name, OS and agent version, at most 256
 */
public record LinkGuards(
    String token,
    int maxLinks,
    int maxLinksPerAddress,
    double snapshotsPerSecond,
    int snapshotBurst,
    int maxCores,
    int maxDevices,
    int maxTextLength) {

  public static final int DEFAULT_MAX_LINKS = 10_000;
  public static final int DEFAULT_MAX_LINKS_PER_ADDRESS = 256;
  public static final double DEFAULT_SNAPSHOTS_PER_SECOND = 10;

  /** An hour of spool at a 1 s interval replays without hitting the rate limit. */
  public static final int DEFAULT_SNAPSHOT_BURST = 3_600;

  /** What the collector can hold at all; a flag may only lower them. */
  public static final int MAX_CORES = FrameMapper.MAX_CORES;

  public static final int MAX_DEVICES = Families.MAX_DEVICES;
  public static final int MAX_TEXT_LENGTH = FrameMapper.MAX_TEXT_LENGTH;

  /** No token; the default limits. */
  public static final LinkGuards DEFAULTS =
      new LinkGuards(
          "",
          DEFAULT_MAX_LINKS,
          DEFAULT_MAX_LINKS_PER_ADDRESS,
          DEFAULT_SNAPSHOTS_PER_SECOND,
          DEFAULT_SNAPSHOT_BURST);

  /** The largest snapshots and texts the collector can hold. */
  public LinkGuards(
      String token,
      int maxLinks,
      int maxLinksPerAddress,
      double snapshotsPerSecond,
      int snapshotBurst) {
    this(
        token,
        maxLinks,
        maxLinksPerAddress,
        snapshotsPerSecond,
        snapshotBurst,
        MAX_CORES,
        MAX_DEVICES,
        MAX_TEXT_LENGTH);
  }

  public LinkGuards {
    Objects.requireNonNull(token, "token");
    if (maxLinks < 1) {
      throw new IllegalArgumentException("maxLinks must be positive: " + maxLinks);
    }
    if (maxLinksPerAddress < 1) {
      throw new IllegalArgumentException(
          "maxLinksPerAddress must be positive: " + maxLinksPerAddress);
    }
    if (!(snapshotsPerSecond > 0) || Double.isInfinite(snapshotsPerSecond)) {
      throw new IllegalArgumentException(
          "snapshotsPerSecond must be positive: " + snapshotsPerSecond);
    }
    if (snapshotBurst < 1) {
      throw new IllegalArgumentException("snapshotBurst must be positive: " + snapshotBurst);
    }
    if (maxCores < 1 || maxCores > MAX_CORES) {
      throw new IllegalArgumentException(
          "maxCores must be within 1.." + MAX_CORES + ": " + maxCores);
    }
    if (maxDevices < 0 || maxDevices > MAX_DEVICES) {
      throw new IllegalArgumentException(
          "maxDevices must be within 0.." + MAX_DEVICES + ": " + maxDevices);
    }
    if (maxTextLength < 1 || maxTextLength > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          "maxTextLength must be within 1.." + MAX_TEXT_LENGTH + ": " + maxTextLength);
    }
  }

  /** The same limits with {@code token} required. */
  public LinkGuards withToken(String token) {
    return new LinkGuards(
        token,
        maxLinks,
        maxLinksPerAddress,
        snapshotsPerSecond,
        snapshotBurst,
        maxCores,
        maxDevices,
        maxTextLength);
  }

  /** Whether a {@code Hello} must carry a token. */
  public boolean tokenRequired() {
    return !token.isEmpty();
  }

  /**
   * Whether {@code offered} is the token, in time that does not depend on where they differ nor on
   * their lengths: both are hashed first, and the hashes compared with {@link
   * MessageDigest#isEqual}.
   */
  boolean tokenMatches(String offered) {
    return MessageDigest.isEqual(sha256(token), sha256(offered));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "LinkGuards[token="
        + (token.isEmpty() ? "none" : "****")
        + ", maxLinks="
        + maxLinks
        + ", maxLinksPerAddress="
        + maxLinksPerAddress
        + ", snapshotsPerSecond="
        + snapshotsPerSecond
        + ", snapshotBurst="
        + snapshotBurst
        + ", maxCores="
        + maxCores
        + ", maxDevices="
        + maxDevices
        + ", maxTextLength="
        + maxTextLength
        + "]";
  }
}
