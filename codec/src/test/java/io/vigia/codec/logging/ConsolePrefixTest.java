package io.vigia.codec.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class ConsolePrefixTest {

  private static LoggingEvent event(Level level) {
    LoggerContext context = new LoggerContext();
    LoggingEvent event =
        new LoggingEvent("test", context.getLogger("test"), level, "hello", null, null);
    event.setTimeStamp(Instant.parse("2025-03-01T10:00:00.123Z").toEpochMilli());
    return event;
  }

  @Test
  void atATerminalALineStartsWithTheLocalTime() {
    String expected =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS ")
            .withZone(ZoneId.systemDefault())
            .format(Instant.parse("2025-03-01T10:00:00.123Z"));

    assertThat(new ConsolePrefix(false).convert(event(Level.INFO))).isEqualTo(expected);
  }

  @Test
  void inTheJournalALineStartsWithItsSyslogPriorityAndNoTime() {
    ConsolePrefix journal = new ConsolePrefix(true);

    assertThat(journal.convert(event(Level.ERROR))).isEqualTo("<3>");
    assertThat(journal.convert(event(Level.WARN))).isEqualTo("<4>");
    assertThat(journal.convert(event(Level.INFO))).isEqualTo("<6>");
    assertThat(journal.convert(event(Level.DEBUG))).isEqualTo("<7>");
    assertThat(journal.convert(event(Level.TRACE))).isEqualTo("<7>");
  }
}
