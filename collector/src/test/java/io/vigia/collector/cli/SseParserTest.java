package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private static List<SseParser.Event> parse(SseParser parser, String... lines) {
    List<SseParser.Event> events = new ArrayList<>();
    for (String line : lines) {
      parser.line(line).ifPresent(events::add);
    }
    return events;
  }

  @Test
  void aBlankLineDispatchesTheEventWithItsIdAndType() {
    SseParser parser = new SseParser();
    assertThat(parse(parser, "retry: 1000", "", "id: 7", "event: sample", "data: {\"a\":1}", ""))
        .containsExactly(new SseParser.Event("7", "sample", "{\"a\":1}"));
    assertThat(parser.lastId()).isEqualTo("7");
  }

  @Test
  void dataLinesJoinWithNewlinesAndCommentsAreSkipped() {
    assertThat(parse(new SseParser(), ": keepalive", "data:one", "data: two", "", ""))
        .containsExactly(new SseParser.Event(null, "message", "one\ntwo"));
  }

  @Test
  void theIdStaysForLaterEventsAndTheTypeDoesNot() {
    SseParser parser = new SseParser();
    List<SseParser.Event> events =
        parse(parser, "id: 3", "event: state", "data: x", "", "data: y", "");
    assertThat(events)
        .containsExactly(
            new SseParser.Event("3", "state", "x"), new SseParser.Event("3", "message", "y"));
  }
}
