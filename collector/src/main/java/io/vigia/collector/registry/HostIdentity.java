package io.vigia.collector.registry;

import java.util.Objects;

/**
 * What an agent says about itself in its {@code Hello}.
 *
 * @param epoch the agent run's stream epoch; sequences restart at 1 in a new one
 * @param intervalMillis the agent's sampling interval
 * @param spool the agent's spool on disk as the link started
 */
public record HostIdentity(
    String id,
    String hostname,
    String os,
    int cores,
    String agentVersion,
    long epoch,
    int intervalMillis,
    Spool spool) {

  /**
   * The agent's spool on disk as a link starts; all 0 for an agent without one (or older).
   *
   * @param diskBytes bytes its spool directory holds
   * @param oldestMillis when the oldest sample it holds was taken (Unix ms), 0 if none
   * @param recovered samples it read back from disk at its start
   */
  public record Spool(long diskBytes, long oldestMillis, long recovered) {
    public static final Spool NONE = new Spool(0, 0, 0);
  }

  /** An agent that says nothing of a spool on disk. */
  public HostIdentity(
      String id,
      String hostname,
      String os,
      int cores,
      String agentVersion,
      long epoch,
      int intervalMillis) {
    this(id, hostname, os, cores, agentVersion, epoch, intervalMillis, Spool.NONE);
  }

  public HostIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(agentVersion, "agentVersion");
    Objects.requireNonNull(spool, "spool");
    if (id.isBlank()) {
      throw new IllegalArgumentException("host id must not be blank");
    }
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be positive: " + cores);
    }
  }
}
