package io.vigia.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class RateLimitedLogTest {

  private long now;

  @Test
  void oneLinePerReasonPerPeriodThenTheCountOfWhatWasLeftOut() {
    Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-log-test");
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    RateLimitedLog log = new RateLimitedLog(logger, () -> now);

    for (int i = 0; i < 1000; i++) {
      log.warn("BAD_TOKEN", "bad token " + i);
    }
    log.warn("HELLO_TIMEOUT", "no hello");
    now += TimeUnit.SECONDS.toNanos(10);
    log.warn("BAD_TOKEN", "bad token again");

    assertThat(lines.list)
        .extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly(
            "bad token 0",
            "no hello",
            "bad token again (999 more like this in the last 10s not logged)");
  }
}
