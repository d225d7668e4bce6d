package io.vigia.collector.identity;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One agent id as this collector knows it: how it proves itself and whether it is still welcome.
 *
 * @param id the agent id
 * @param hostname the host name of its latest accepted {@code Hello}
 * @param kind what proves it
 * @param state enrolled, or revoked by an operator
 * @param credentialHash SHA-256 of the per-agent credential (empty for a certificate, or for an id
 *     revoked before it ever enrolled)
 * @param enrolledAt when the pin was made
 * @param lastHello the latest accepted {@code Hello} ({@link Instant#EPOCH}: none)
 */
public record Pin(
    String id,
    String hostname,
    Kind kind,
    State state,
    byte[] credentialHash,
    Instant enrolledAt,
    Instant lastHello) {

  /** What proves an agent id. */
  public enum Kind {
    /** A secret the collector issued at the id's first {@code Hello}, which the agent keeps. */
    CREDENTIAL,
    /** A client certificate that names the id (mutual TLS). */
    CERTIFICATE;

    /** As the file, the API and the CLI write it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Whether the id may connect. */
  public enum State {
    ENROLLED,
    /** Refused from now on, until an operator resets the pin. */
    REVOKED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public Pin {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    credentialHash = credentialHash.clone();
    Objects.requireNonNull(enrolledAt, "enrolledAt");
    Objects.requireNonNull(lastHello, "lastHello");
    if (credentialHash.length != 0 && credentialHash.length != Credentials.HASH_BYTES) {
      throw new IllegalArgumentException(
          "a credential hash has "
              + Credentials.HASH_BYTES
              + " bytes, not "
              + credentialHash.length);
    }
  }

  @Override
  public byte[] credentialHash() {
    return credentialHash.clone();
  }

  Pin withState(State newState) {
    return new Pin(id, hostname, kind, newState, credentialHash, enrolledAt, lastHello);
  }

  Pin seen(String newHostname, Instant at) {
    return new Pin(id, newHostname, kind, state, credentialHash, enrolledAt, at);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pin p
        && id.equals(p.id)
        && hostname.equals(p.hostname)
        && kind == p.kind
        && state == p.state
        && java.util.Arrays.equals(credentialHash, p.credentialHash)
        && enrolledAt.equals(p.enrolledAt)
        && lastHello.equals(p.lastHello);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, hostname, kind, state, enrolledAt, lastHello)
        + 31 * java.util.Arrays.hashCode(credentialHash);
  }

  /** Never shows the hash. */
  @Override
  public String toString() {
    return "Pin[" + id + ", " + kind.label() + ", " + state.label() + "]";
  }
}
