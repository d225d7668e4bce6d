package io.vigia.collector.identity;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.vigia.proto.ErrorCode;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may report as which agent id: the pins of enrolled ids (a per-agent credential, or a client
 * certificate that names the id), and the links open now, so that a new link replaces an open one
 * only when it proves the same identity.
 *
 * <ul>
 *   <li>An id with no pin enrolls at its first {@code Hello}: over mutual TLS the certificate
 *       proves it; otherwise, if the agent keeps credentials, the collector issues one in the
 *       {@code Welcome} and pins its hash. An agent that does not keep credentials (an older
 *       version) is accepted unpinned, as before, but never while a link of its id is open.
 *   <li>A pinned id is accepted only with its proof; a revoked one not at all, and its open link is
 *       closed at once.
 * </ul>
 *
 * <pre>{@code
 * Pins pins = Pins.open(dataDir.resolve("pins"), InstantSource.system()); // or inMemory(clock)
 * Pins.Admission a = pins.admit("web-1", Pins.Proof.credential(presented, true), link);
 * }</pre>
 *
 * <p>Thread-safety: every method is safe from any thread. Decisions and changes are made under this
 * object's lock; they are few (one per link opened or closed, one per operator command) and short
 * (no I/O under the lock). The file is written on the pins' own thread, coalescing changes that
 * come faster than it writes; {@link Link#close} is called under the lock and must only schedule.
 */
public final class Pins implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Pins.class);

  /** An open link, as far as pins are concerned. */
  public interface Link {
    /** Sends {@code code} and closes; called under the pins' lock, so it only schedules that. */
    void close(ErrorCode code, String message);

    /** The remote address, for messages. */
    String address();
  }

  /**
   * What a {@code Hello} offers as proof of its id.
   *
   * @param certificate the link's client certificate names the id (mutual TLS)
   * @param credential the credential the Hello presents (empty: none)
   * @param keepsCredential the agent keeps a credential issued to it
   */
  public record Proof(boolean certificate, String credential, boolean keepsCredential) {
    public static Proof ofCertificate() {
      return new Proof(true, "", false);
    }

    public static Proof ofCredential(String credential, boolean keepsCredential) {
      return new Proof(false, credential, keepsCredential);
    }

    @Override
    public String toString() {
      return certificate
          ? "Proof[certificate]"
          : "Proof[credential, keeps=" + keepsCredential + "]";
    }
  }

  /**
   * The answer to a {@code Hello}: refused (with the code and message to send), or admitted.
   *
   * @param enroll issue and pin a credential when the link is welcomed
   */
  public record Admission(ErrorCode refusal, String message, boolean enroll, Proof proof) {
    public boolean refused() {
      return refusal != null;
    }

    static Admission refuse(ErrorCode code, String message) {
      return new Admission(code, message, false, null);
    }
  }

  /**
   * What to do with the {@code Welcome} of an admitted link.
   *
   * @param refusal non-null if the id was revoked meanwhile: send this instead
   * @param credential the credential to put in the Welcome, or null
   * @param durable completes once the pin that the credential opens is on disk (at once in memory);
   *     the Welcome must wait for it, or a crash could forget a credential the agent holds
   */
  public record Welcomed(
      ErrorCode refusal, String message, String credential, CompletableFuture<Void> durable) {}

  /** A pin as listed, with whether a link of its id is open now. */
  public record Status(Pin pin, boolean connected) {}

  private final Path file;
  private final InstantSource clock;
  private final Credentials credentials;
  private final Map<String, Pin> pins = new HashMap<>();
  private final Map<String, Link> links = new HashMap<>();
  private final ExecutorService writer;
  // The write that will include every change made so far, while it has not started.
  private CompletableFuture<Void> queued;
  private boolean closed;

  private Pins(Path file, InstantSource clock, SecureRandom random, List<Pin> loaded) {
    this.file = file;
    this.clock = clock;
    this.credentials = new Credentials(random);
    loaded.forEach(pin -> pins.put(pin.id(), pin));
    this.writer =
        file == null
            ? null
            : Executors.newSingleThreadExecutor(
                new DefaultThreadFactory("vigia-collector-pins", true));
  }

  /**
   * The pins kept in {@code file} (created at the first pin).
   *
   * @throws IOException if the file cannot be read or is not a pins file of a known version
   */
  public static Pins open(Path file, InstantSource clock) throws IOException {
    return new Pins(file, clock, new SecureRandom(), PinFile.read(file));
  }

  /** Pins in memory only: a restart forgets them, and every agent enrolls again. */
  public static Pins inMemory(InstantSource clock) {
    return new Pins(null, clock, new SecureRandom(), List.of());
  }

  /** Whether pins survive a restart. */
  public boolean durable() {
    return file != null;
  }

  /** The pins file, or null in memory. */
  public Path file() {
    return file;
  }

  /** Decides on the {@code Hello} of {@code link} for agent id {@code id}. */
  public synchronized Admission admit(String id, Proof proof, Link link) {
    Pin pin = pins.get(id);
    Link open = links.get(id);
    if (pin != null && pin.state() == Pin.State.REVOKED) {
      return Admission.refuse(
          ErrorCode.AGENT_REVOKED,
          "agent id '"
              + id
              + "' was revoked on this collector; an operator can let it enroll again with"
              + " 'vigia pins reset "
              + id
              + "'");
    }
    boolean enroll = false;
    if (!proof.certificate()) {
      if (pin != null && pin.kind() == Pin.Kind.CERTIFICATE) {
        return Admission.refuse(
            ErrorCode.BAD_CREDENTIAL,
            "agent id '"
                + id
                + "' is enrolled with a client certificate and this link has none; give the agent"
                + " its certificate, or reset the pin with 'vigia pins reset "
                + id
                + "'");
      }
      if (pin != null && proof.credential().isEmpty()) {
        return Admission.refuse(
            ErrorCode.BAD_CREDENTIAL,
            "agent id '"
                + id
                + "' is enrolled on this collector and this Hello carries no credential: another"
                + " machine with the same --id, or this machine was rebuilt and lost its state"
                + " directory (then run 'vigia pins reset "
                + id
                + "' on the collector)");
      }
      if (pin != null && !Credentials.matches(proof.credential(), pin.credentialHash())) {
        return Admission.refuse(
            ErrorCode.BAD_CREDENTIAL,
            "the credential does not match the one agent id '"
                + id
                + "' enrolled with; if the agent's state directory was restored from another"
                + " machine or an old backup, run 'vigia pins reset "
                + id
                + "' on the collector");
      }
      if (pin == null) {
        if (open != null) {
          return Admission.refuse(
              ErrorCode.ID_IN_USE,
              "agent id '"
                  + id
                  + "' is connected from "
                  + open.address()
                  + " and this link does not prove to be the same agent; is another machine"
                  + " running with the same --id?");
        }
        enroll = proof.keepsCredential();
      }
    }
    links.put(id, link);
    return new Admission(null, null, enroll, proof);
  }

  /** {@code link}, admitted for {@code id}, is being welcomed: pins what it proved. */
  public synchronized Welcomed welcomed(
      String id, String hostname, Admission admission, Link link) {
    Pin pin = pins.get(id);
    if (pin != null && pin.state() == Pin.State.REVOKED) {
      return new Welcomed(
          ErrorCode.AGENT_REVOKED,
          "agent id '" + id + "' was revoked on this collector",
          null,
          null);
    }
    Instant now = clock.instant();
    if (admission.enroll() && pin == null) {
      String credential = credentials.issue();
      pins.put(
          id,
          new Pin(
              id,
              hostname,
              Pin.Kind.CREDENTIAL,
              Pin.State.ENROLLED,
              Credentials.hash(credential),
              now,
              now));
      return new Welcomed(null, null, credential, persist());
    }
    if (admission.proof().certificate()) {
      pins.put(
          id,
          pin == null || pin.kind() != Pin.Kind.CERTIFICATE
              ? new Pin(
                  id, hostname, Pin.Kind.CERTIFICATE, Pin.State.ENROLLED, new byte[0], now, now)
              : pin.seen(hostname, now));
      persist();
    } else if (pin != null) {
      pins.put(id, pin.seen(hostname, now));
      persist();
    }
    return new Welcomed(null, null, null, CompletableFuture.completedFuture(null));
  }

  /** {@code link} of {@code id} closed. */
  public synchronized void closed(String id, Link link) {
    links.remove(id, link);
  }

  /** Every pin, by id. */
  public synchronized List<Status> list() {
    List<Status> all = new ArrayList<>();
    for (Pin pin : pins.values()) {
      all.add(new Status(pin, links.containsKey(pin.id())));
    }
    all.sort(Comparator.comparing(status -> status.pin().id()));
    return all;
  }

  /**
   * Forgets the pin of {@code id}, so that its next {@code Hello} enrolls again (a rebuilt
   * machine). An open link of the id stays open; it enrolls anew at its next Hello.
   */
  public synchronized Optional<Pin> reset(String id) {
    Pin removed = pins.remove(id);
    if (removed != null) {
      log.info("Pin of agent {} reset: its next Hello enrolls it again", id);
      persist();
    }
    return Optional.ofNullable(removed);
  }

  /**
   * Refuses {@code id} from now on (pinned or not) and closes its open link, if any.
   *
   * @return the revoked pin
   */
  public synchronized Pin revoke(String id) {
    Pin pin = pins.get(id);
    Pin revoked =
        pin != null
            ? pin.withState(Pin.State.REVOKED)
            : new Pin(
                id,
                "",
                Pin.Kind.CREDENTIAL,
                Pin.State.REVOKED,
                new byte[0],
                clock.instant(),
                Instant.EPOCH);
    pins.put(id, revoked);
    Link open = links.remove(id);
    log.info(
        "Agent {} revoked: refused from now on{}",
        id,
        open == null ? "" : "; closing its link from " + open.address());
    if (open != null) {
      open.close(ErrorCode.AGENT_REVOKED, "agent id '" + id + "' was revoked on this collector");
    }
    persist();
    return revoked;
  }

  /**
   * Writes the pins as they are now, on the writer thread; a write not yet started takes later
   * changes too. Under the lock.
   */
  private CompletableFuture<Void> persist() {
    if (writer == null) {
      return CompletableFuture.completedFuture(null);
    }
    if (closed) {
      return CompletableFuture.failedFuture(new IOException("the collector is closing"));
    }
    if (queued == null) {
      CompletableFuture<Void> write = new CompletableFuture<>();
      queued = write;
      writer.execute(() -> write(write));
    }
    return queued;
  }

  private void write(CompletableFuture<Void> done) {
    List<Pin> snapshot;
    synchronized (this) {
      queued = null;
      snapshot = new ArrayList<>(pins.values());
    }
    snapshot.sort(Comparator.comparing(Pin::id));
    try {
      PinFile.write(file, snapshot);
      done.complete(null);
    } catch (IOException | RuntimeException e) {
      log.error(
          "Cannot write the pins file {}: {}; agents cannot enroll until it can be written",
          file,
          e.toString());
      done.completeExceptionally(e);
    }
  }

  /** Writes what is pending, then stops the writer. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (writer != null) {
      writer.shutdown();
      try {
        if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("The pins file {} is still being written; giving up on it", file);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
