package io.vigia.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentTest {

  // The machine id suffix is there only on hosts with /etc/machine-id: lowercase hex, 8 digits.
  private static final String MACHINE_ID_SUFFIX = "(-[0-9a-f]{8})?";

  @Test
  void defaultIdOfABlankHostnameStartsWithHost() {
    assertThat(Agent.defaultId("  ")).matches("host" + MACHINE_ID_SUFFIX);
  }

  @Test
  void defaultIdOfAnEmptyHostnameStartsWithHost() {
    assertThat(Agent.defaultId("")).matches("host" + MACHINE_ID_SUFFIX);
  }

  @Test
  void defaultIdStartsWithTheHostnameInLowercase() {
    assertThat(Agent.defaultId("Web-01.Example.ORG"))
        .matches("web-01\\.example\\.org" + MACHINE_ID_SUFFIX);
  }

  @Test
  void defaultIdIsLowercase() {
    String id = Agent.defaultId("DB-PRIMARY");

    assertThat(id).isEqualTo(id.toLowerCase(java.util.Locale.ROOT));
  }

  @Test
  void defaultIdIsStableAcrossCalls() {
    assertThat(Agent.defaultId("web-01")).isEqualTo(Agent.defaultId("web-01"));
  }
}
