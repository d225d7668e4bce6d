package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credentials file in the agent's state directory. */
class AgentCredentialsTest {

  @TempDir Path dir;

  @Test
  void credentialsSurviveARestartPerCollectorAndAgentId() throws Exception {
    Path file = dir.resolve("state/credentials");
    AgentCredentials kept = AgentCredentials.inFile(file);
    assertThat(kept.forCollector("a:7070", "web-1")).isEmpty();
    kept.keep("a:7070", "web-1", "one");
    kept.keep("a:7070", "odd id", "two");
    kept.keep("b:7070", "web-1", "three").get(5, TimeUnit.SECONDS);

    AgentCredentials again = AgentCredentials.inFile(file);
    assertThat(again.forCollector("a:7070", "web-1")).isEqualTo("one");
    assertThat(again.forCollector("a:7070", "odd id")).isEqualTo("two");
    assertThat(again.forCollector("b:7070", "web-1")).isEqualTo("three");
    assertThat(again.forCollector("b:7070", "odd id")).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(Files.readString(file)).startsWith("vigia-agent-credentials 1\n");
  }

  @Test
  void aNewerCredentialReplacesTheOlderInTheFile() throws Exception {
    Path file = dir.resolve("credentials");
    AgentCredentials kept = AgentCredentials.inFile(file);
    kept.keep("a:7070", "web-1", "old");
    kept.keep("a:7070", "web-1", "new").get(5, TimeUnit.SECONDS);
    assertThat(AgentCredentials.inFile(file).forCollector("a:7070", "web-1")).isEqualTo("new");
  }

  @Test
  void aFileOfAnotherVersionOrADamagedLineIsRefused() throws Exception {
    Path file = dir.resolve("credentials");
    Files.writeString(file, "vigia-agent-credentials 2\n");
    assertThatThrownBy(() -> AgentCredentials.inFile(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version 2");
    Files.writeString(file, "vigia-agent-credentials 1\na:7070 only-two\n");
    assertThatThrownBy(() -> AgentCredentials.inFile(file)).hasMessageContaining("line 2");
  }

  @Test
  void inMemoryNothingIsWritten() throws Exception {
    AgentCredentials kept = AgentCredentials.inMemory();
    kept.keep("a:7070", "web-1", "x").get(1, TimeUnit.SECONDS);
    assertThat(kept.forCollector("a:7070", "web-1")).isEqualTo("x");
    assertThat(kept.file()).isNull();
  }
}
