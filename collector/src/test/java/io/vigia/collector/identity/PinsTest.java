package io.vigia.collector.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigia.proto.ErrorCode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may report as which agent id: enrollment, proof, revocation, reset, persistence. */
class PinsTest {

  @TempDir Path dir;

  private final InstantSource clock = InstantSource.fixed(Instant.ofEpochMilli(1_764_800_000_000L));

  /** A link that records what it was closed with. */
  private static final class FakeLink implements Pins.Link {
    final List<ErrorCode> closedWith = new ArrayList<>();
    private final String address;

    FakeLink(String address) {
      this.address = address;
    }

    @Override
    public void close(ErrorCode code, String message) {
      closedWith.add(code);
    }

    @Override
    public String address() {
      return address;
    }
  }

  /** Enrolls {@code id} through a link that then closes; returns the credential issued. */
  private static String enroll(Pins pins, String id) throws Exception {
    FakeLink link = new FakeLink("10.0.0.1:1");
    Pins.Admission admitted = pins.admit(id, Pins.Proof.ofCredential("", true), link);
    assertThat(admitted.refused()).isFalse();
    assertThat(admitted.enroll()).isTrue();
    Pins.Welcomed welcomed = pins.welcomed(id, id + ".example", admitted, link);
    welcomed.durable().get(5, TimeUnit.SECONDS);
    pins.closed(id, link);
    return welcomed.credential();
  }

  @Test
  void anIdEnrollsAtItsFirstHelloAndIsThenAcceptedOnlyWithItsCredential() throws Exception {
    Pins pins = Pins.inMemory(clock);
    String credential = enroll(pins, "web-1");
    assertThat(credential).hasSizeGreaterThan(40);

    Pins.Admission none =
        pins.admit("web-1", Pins.Proof.ofCredential("", true), new FakeLink("10.0.0.9:2"));
    assertThat(none.refusal()).isEqualTo(ErrorCode.BAD_CREDENTIAL);
    assertThat(none.message()).contains("vigia pins reset web-1");
    Pins.Admission wrong =
        pins.admit("web-1", Pins.Proof.ofCredential("guess", true), new FakeLink("10.0.0.9:3"));
    assertThat(wrong.refusal()).isEqualTo(ErrorCode.BAD_CREDENTIAL);
    Pins.Admission right =
        pins.admit("web-1", Pins.Proof.ofCredential(credential, true), new FakeLink("x:4"));
    assertThat(right.refused()).isFalse();
    assertThat(right.enroll()).isFalse();
  }

  @Test
  void aProvenLinkMayReplaceAnOpenOneAndAnUnprovenOneMayNot() throws Exception {
    Pins pins = Pins.inMemory(clock);
    String credential = enroll(pins, "web-1");
    FakeLink first = new FakeLink("10.0.0.1:1");
    assertThat(pins.admit("web-1", Pins.Proof.ofCredential(credential, true), first).refused())
        .isFalse();
    FakeLink again = new FakeLink("10.0.0.1:2");
    assertThat(pins.admit("web-1", Pins.Proof.ofCredential(credential, true), again).refused())
        .isFalse();
    // The first link closing late does not forget the second.
    pins.closed("web-1", first);
    assertThat(pins.list()).singleElement().matches(Pins.Status::connected);

    // An older agent (no credential kept) on an unpinned id: never while that id is connected.
    FakeLink old = new FakeLink("10.0.0.2:1");
    assertThat(pins.admit("legacy", Pins.Proof.ofCredential("", false), old).enroll()).isFalse();
    Pins.Admission second =
        pins.admit("legacy", Pins.Proof.ofCredential("", false), new FakeLink("10.0.0.3:1"));
    assertThat(second.refusal()).isEqualTo(ErrorCode.ID_IN_USE);
    assertThat(second.message()).contains("10.0.0.2:1");
    // Nor may a new agent enroll an id an older agent holds open.
    assertThat(
            pins.admit("legacy", Pins.Proof.ofCredential("", true), new FakeLink("y:1")).refusal())
        .isEqualTo(ErrorCode.ID_IN_USE);
    pins.closed("legacy", old);
    assertThat(
            pins.admit("legacy", Pins.Proof.ofCredential("", true), new FakeLink("y:2")).enroll())
        .isTrue();
  }

  @Test
  void revokingClosesTheOpenLinkAndRefusesEveryProofUntilReset() throws Exception {
    Pins pins = Pins.inMemory(clock);
    String credential = enroll(pins, "web-1");
    FakeLink open = new FakeLink("10.0.0.1:1");
    pins.admit("web-1", Pins.Proof.ofCredential(credential, true), open);

    assertThat(pins.revoke("web-1").state()).isEqualTo(Pin.State.REVOKED);
    assertThat(open.closedWith).containsExactly(ErrorCode.AGENT_REVOKED);
    assertThat(pins.admit("web-1", Pins.Proof.ofCredential(credential, true), open).refusal())
        .isEqualTo(ErrorCode.AGENT_REVOKED);
    assertThat(pins.admit("web-1", Pins.Proof.ofCertificate(), open).refusal())
        .isEqualTo(ErrorCode.AGENT_REVOKED);

    assertThat(pins.reset("web-1")).isPresent();
    assertThat(pins.reset("web-1")).isEmpty();
    assertThat(enroll(pins, "web-1")).isNotEqualTo(credential);
  }

  @Test
  void anIdNeverSeenCanBeRevokedAhead() {
    Pins pins = Pins.inMemory(clock);
    pins.revoke("not-yet");
    assertThat(
            pins.admit("not-yet", Pins.Proof.ofCredential("", true), new FakeLink("z:1")).refusal())
        .isEqualTo(ErrorCode.AGENT_REVOKED);
  }

  @Test
  void aCertificatePinIsNotTakenOverByAToken() throws Exception {
    Pins pins = Pins.inMemory(clock);
    FakeLink link = new FakeLink("a:1");
    Pins.Admission admitted = pins.admit("web-1", Pins.Proof.ofCertificate(), link);
    assertThat(pins.welcomed("web-1", "web-1", admitted, link).credential()).isNull();
    pins.closed("web-1", link);
    assertThat(pins.list()).singleElement().matches(s -> s.pin().kind() == Pin.Kind.CERTIFICATE);
    assertThat(
            pins.admit("web-1", Pins.Proof.ofCredential("", true), new FakeLink("b:1")).refusal())
        .isEqualTo(ErrorCode.BAD_CREDENTIAL);
  }

  @Test
  void pinsSurviveARestartAndARevocationToo() throws Exception {
    Path file = dir.resolve("pins");
    String credential;
    try (Pins pins = Pins.open(file, clock)) {
      credential = enroll(pins, "web-1");
      enroll(pins, "web-2");
      pins.revoke("web-2");
    }
    try (Pins pins = Pins.open(file, clock)) {
      assertThat(pins.list()).extracting(s -> s.pin().id()).containsExactly("web-1", "web-2");
      assertThat(
              pins.admit("web-1", Pins.Proof.ofCredential(credential, true), new FakeLink("a:1"))
                  .refused())
          .isFalse();
      assertThat(
              pins.admit("web-1", Pins.Proof.ofCredential("", true), new FakeLink("a:2")).refusal())
          .isEqualTo(ErrorCode.BAD_CREDENTIAL);
      assertThat(
              pins.admit("web-2", Pins.Proof.ofCredential("", true), new FakeLink("a:3")).refusal())
          .isEqualTo(ErrorCode.AGENT_REVOKED);
    }
  }
}
