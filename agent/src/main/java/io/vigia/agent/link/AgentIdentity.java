package io.vigia.agent.link;

import java.time.Duration;
import java.util.Objects;

/**
 * Who the agent is, as it introduces itself in {@code Hello}.
 *
 * @param id stable across restarts
 * @param epoch new at every start, so sequence numbers can restart at 1
 */
public record AgentIdentity(
    String id,
    String hostname,
    String os,
    int cores,
    String agentVersion,
    long epoch,
    Duration interval) {

  public AgentIdentity {
    Objects.requireNonNull(id, "id");
    if (id.isBlank()) {
      throw new IllegalArgumentException("agent id must not be blank");
    }
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(agentVersion, "agentVersion");
    Objects.requireNonNull(interval, "interval");
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be positive: " + cores);
    }
  }
}
