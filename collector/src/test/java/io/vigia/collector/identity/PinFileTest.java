package io.vigia.collector.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pins file: its round trip, a file of version 1 as written then, and what it refuses. */
class PinFileTest {

  @TempDir Path dir;

  private static Pin pin(String id, String hostname) {
    return new Pin(
        id,
        hostname,
        Pin.Kind.CREDENTIAL,
        Pin.State.ENROLLED,
        Credentials.hash("secret of " + id),
        Instant.ofEpochMilli(1_764_800_000_000L),
        Instant.ofEpochMilli(1_764_850_000_123L));
  }

  @Test
  void pinsWithOddIdsAndHostNamesSurviveAWriteAndARead() throws Exception {
    List<Pin> pins =
        List.of(
            pin("web-1", "web-1.example"),
            pin("with space", ""),
            pin("-", "100% é\tüñ"),
            new Pin(
                "cert",
                "h",
                Pin.Kind.CERTIFICATE,
                Pin.State.REVOKED,
                new byte[0],
                Instant.ofEpochMilli(5),
                Instant.EPOCH));
    Path file = dir.resolve("pins");
    PinFile.write(file, pins);
    assertThat(PinFile.read(file)).containsExactlyElementsOf(pins);
    assertThat(dir.resolve("pins.tmp")).doesNotExist();
    assertThat(Files.readString(file)).startsWith("vigia-pins 1\n");
  }

  @Test
  void aFileOfVersionOneAsWrittenThenIsRead() throws Exception {
    Path file = dir.resolve("pins");
    try (InputStream in = PinFileTest.class.getResourceAsStream("pins-v1.txt")) {
      Files.write(file, in.readAllBytes());
    }
    List<Pin> pins = PinFile.read(file);
    assertThat(pins).hasSize(3);
    assertThat(pins.get(0).id()).isEqualTo("db one");
    assertThat(pins.get(0).hostname()).isEqualTo("db1.example");
    assertThat(pins.get(0).credentialHash())
        .isEqualTo(
            HexFormat.of()
                .parseHex("5f2b6c0a1e7c2fbd6b0a1a9d4f3c5e2a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4"));
    assertThat(pins.get(0).lastHello()).isEqualTo(Instant.ofEpochMilli(1_764_850_000_000L));
    assertThat(pins.get(1).state()).isEqualTo(Pin.State.REVOKED);
    assertThat(pins.get(1).hostname()).isEmpty();
    assertThat(pins.get(1).credentialHash()).isEmpty();
    assertThat(pins.get(2).kind()).isEqualTo(Pin.Kind.CERTIFICATE);
  }

  @Test
  void noFileIsNoPins() throws Exception {
    assertThat(PinFile.read(dir.resolve("absent"))).isEmpty();
  }

  @Test
  void aFileOfANewerVersionIsRefusedSayingSo() throws Exception {
    Path file = dir.resolve("pins");
    Files.writeString(file, "vigia-pins 2\nsomething new\n");
    assertThatThrownBy(() -> PinFile.read(file))
        .isInstanceOf(PinFile.FormatException.class)
        .hasMessageContaining("version 2")
        .hasMessageContaining("newer collector");
  }

  @Test
  void aDamagedLineIsRefusedWithItsNumber() throws Exception {
    Path file = dir.resolve("pins");
    Files.write(
        file,
        ("vigia-pins 1\n" + "web-1 web-1 credential enrolled 1 2\n")
            .getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> PinFile.read(file)).hasMessageContaining("line 2");
    Files.writeString(file, "not pins\n");
    assertThatThrownBy(() -> PinFile.read(file)).hasMessageContaining("not a Vigia pins file");
  }
}
