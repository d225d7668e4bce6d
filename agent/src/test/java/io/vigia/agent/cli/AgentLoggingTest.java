package io.vigia.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

class AgentLoggingTest {

  private static LoggingEvent event(String logger, Level level, String message, Throwable thrown) {
    LoggerContext context = new LoggerContext();
    return new LoggingEvent(
        "fqcn", context.getLogger(logger), level, message, thrown, new Object[0]);
  }

  @Test
  void aLineIsPrefixLevelPaddedToFiveSimpleLoggerNameAndMessage() {
    String line =
        new AgentLogging.LineLayout()
            .doLayout(event("io.vigia.agent.link.CollectorLink", Level.INFO, "Connected", null));

    // At a terminal (no JOURNAL_STREAM) the prefix is the local time.
    assertThat(line)
        .matches(
            "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} |<6>)INFO  CollectorLink: Connected\\R");
  }

  @Test
  void anExceptionFollowsWithItsStackTrace() {
    String line =
        new AgentLogging.LineLayout()
            .doLayout(event("Sampler", Level.ERROR, "failed", new IllegalStateException("boom")));

    assertThat(line).contains("ERROR Sampler: failed").contains("IllegalStateException: boom");
    assertThat(line).contains("at io.vigia.agent.cli.AgentLoggingTest");
  }

  @Test
  void rootLevelComesFromTheEnvironmentWithInfoByDefault() {
    assertThat(AgentLogging.rootLevel(null)).isEqualTo(Level.INFO);
    assertThat(AgentLogging.rootLevel(" debug ")).isEqualTo(Level.DEBUG);
    assertThat(AgentLogging.rootLevel("loud")).isEqualTo(Level.INFO);
  }
}
