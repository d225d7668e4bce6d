package io.vigia.agent.sampling;

import java.util.Objects;

/**
 * What the agent tells the collector about its machine in the Hello.
 *
 * @param os a readable description ("GNU/Linux Debian GNU/Linux 12 (bookworm) build 6.1.0")
 * @param cores logical processors
 */
public record HostFacts(String hostname, String os, int cores) {

  public HostFacts {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(os, "os");
    if (cores < 1) {
      throw new IllegalArgumentException("cores must be positive: " + cores);
    }
  }
}
