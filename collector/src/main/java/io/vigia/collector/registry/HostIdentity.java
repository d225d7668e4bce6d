package io.vigia.collector.registry;

import java.util.Objects;

/**
 * What an agent says about itself in its {@code Hello}.
 *
 * @param epoch the agent run's stream epoch; sequences restart at 1 in a new one
 * @param intervalMillis the agent's sampling interval
 */
public record HostIdentity(
    String id,
    String hostname,
    String os,
    int cores,
    String agentVersion,
    long epoch,
    int intervalMillis) {

  public HostIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(os, "os");
    Objects.requireNonNull(agentVersion, "agentVersion");
    if (id.isBlank()) {
      throw new IllegalArgumentException("host id must not be blank");
    }
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be positive: " + cores);
    }
  }
}
