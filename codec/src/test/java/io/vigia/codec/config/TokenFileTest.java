package io.vigia.codec.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  @TempDir Path dir;

  private Path file(String text) throws IOException {
    return Files.writeString(dir.resolve("token"), text);
  }

  @Test
  void theTrailingLineBreakIsNotPartOfTheToken() throws IOException {
    assertThat(TokenFile.read(file("s3cr3t\n"))).isEqualTo("s3cr3t");
    assertThat(TokenFile.read(file("s3cr3t\r\n"))).isEqualTo("s3cr3t");
    assertThat(TokenFile.read(file("s3cr3t"))).isEqualTo("s3cr3t");
  }

  @Test
  void anEmptyFileIsRefusedByName() throws IOException {
    Path empty = file("\n");
    assertThatThrownBy(() -> TokenFile.read(empty)).hasMessageContaining(empty + " is empty");
  }

  @Test
  void errorsNeverShowTheSecret() throws IOException {
    assertThatThrownBy(() -> TokenFile.read(file("first-secret\nsecond-secret\n")))
        .hasMessageContaining("more than one line")
        .message()
        .doesNotContain("secret");
    assertThatThrownBy(() -> TokenFile.read(file(" padded-secret ")))
        .message()
        .doesNotContain("padded-secret");
  }

  @Test
  void aLargeFileIsNotAToken() throws IOException {
    Path big = file("x".repeat(TokenFile.MAX_BYTES + 1));
    assertThatThrownBy(() -> TokenFile.read(big)).hasMessageContaining("at most 4096");
  }

  @Test
  void aMissingFileIsAnIoError() {
    assertThatThrownBy(() -> TokenFile.read(dir.resolve("absent"))).isInstanceOf(IOException.class);
  }
}
