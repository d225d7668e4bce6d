package io.vigia.codec.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The start of each console log line: a local timestamp at a terminal, and under systemd (which
 * sets {@code JOURNAL_STREAM} when stderr goes to the journal) the line's syslog priority as {@code
 * <N>} instead, which journald reads and strips, while it stamps the time itself.
 *
 * <pre>
 * terminal: 2025-03-01 10:00:00.000 INFO  SessionHandler: Agent web-1 connected ...
 * journal:  &lt;6&gt;INFO  SessionHandler: Agent web-1 connected ...
 * </pre>
 *
 * <p>Used in the daemons' {@code logback.xml} as {@code %consolePrefix}.
 */
public final class ConsolePrefix extends ClassicConverter {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS ").withZone(ZoneId.systemDefault());

  private final boolean journal;

  public ConsolePrefix() {
    this(System.getenv("JOURNAL_STREAM") != null);
  }

  ConsolePrefix(boolean journal) {
    this.journal = journal;
  }

  @Override
  public String convert(ILoggingEvent event) {
    if (!journal) {
      return TIME.format(Instant.ofEpochMilli(event.getTimeStamp()));
    }
    return "<" + priority(event.getLevel()) + ">";
  }

  /** syslog(3) priorities: err, warning, info, debug. */
  static int priority(Level level) {
    if (level.isGreaterOrEqual(Level.ERROR)) {
      return 3;
    }
    if (level.isGreaterOrEqual(Level.WARN)) {
      return 4;
    }
    if (level.isGreaterOrEqual(Level.INFO)) {
      return 6;
    }
    return 7;
  }
}
