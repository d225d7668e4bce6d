package io.vigia.collector.remotewrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteWriteSettingsTest {

  @TempDir Path dir;

  @Test
  void aUrlMustBeHttpWithAHostAndNoCredentials() {
    assertThat(RemoteWriteSettings.check(URI.create("https://mimir:443/api/v1/push"))).isNotNull();
    assertThatThrownBy(() -> RemoteWriteSettings.check(URI.create("prometheus:9090")))
        .hasMessageContaining("not an http:// or https:// URL");
    assertThatThrownBy(() -> RemoteWriteSettings.check(URI.create("ftp://x/y")))
        .hasMessageContaining("not an http:// or https:// URL");
    assertThatThrownBy(() -> RemoteWriteSettings.check(URI.create("http://u:secret@x/y")))
        .hasMessageContaining("carries credentials")
        .hasMessageNotContaining("secret");
  }

  @Test
  void aBearerTokenIsTheFilesContentWithoutSurroundingSpace() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "  abc.DEF-123\n");

    RemoteWriteSettings.Auth auth = RemoteWriteSettings.Auth.fromFiles(token, null);

    assertThat(auth.bearerToken()).isEqualTo("abc.DEF-123");
    assertThat(auth.toString()).doesNotContain("abc");
  }

  @Test
  void basicAuthIsOneLineUserColonPassword() throws Exception {
    Path file = Files.writeString(dir.resolve("basic"), "vigia:pa:ss\n");

    RemoteWriteSettings.Auth auth = RemoteWriteSettings.Auth.fromFiles(null, file);

    assertThat(auth.user()).isEqualTo("vigia");
    assertThat(auth.password()).isEqualTo("pa:ss");
    assertThat(auth.toString()).doesNotContain("pa:ss");
  }

  @Test
  void unusableCredentialFilesAreRefusedWithTheirName() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Path noColon = Files.writeString(dir.resolve("nocolon"), "vigia\n");

    assertThatThrownBy(() -> RemoteWriteSettings.Auth.fromFiles(empty, null))
        .hasMessageContaining(empty.toString());
    assertThatThrownBy(() -> RemoteWriteSettings.Auth.fromFiles(null, noColon))
        .hasMessageContaining("user:password");
    assertThatThrownBy(() -> RemoteWriteSettings.Auth.fromFiles(empty, noColon))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> RemoteWriteSettings.Auth.fromFiles(dir.resolve("missing"), null))
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void queueAndBatchMustHoldSomething() {
    assertThatThrownBy(
            () -> new RemoteWriteSettings(List.of(), RemoteWriteSettings.Auth.NONE, 0, 1))
        .hasMessageContaining("queue");
    assertThatThrownBy(
            () -> new RemoteWriteSettings(List.of(), RemoteWriteSettings.Auth.NONE, 1, 0))
        .hasMessageContaining("batch");
  }
}
