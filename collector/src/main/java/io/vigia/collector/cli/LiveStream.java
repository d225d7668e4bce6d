package io.vigia.collector.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.vigia.proto.ApiStreamEvent;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Follows {@code GET /api/v1/stream} on a daemon thread and hands each event to a consumer;
 * reconnects a second after the stream ends or fails, sending the last event id seen so that
 * nothing is missed, and reports the link's state.
 */
final class LiveStream implements AutoCloseable {

  /** What the stream's consumer learns besides events. */
  interface Listener {
    void event(ApiStreamEvent event);

    /** The stream is up (true) or down, with a reason a person can read. */
    void link(boolean up, String why);
  }

  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final CollectorClient client;
  private final Listener listener;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Stream<String> current;

  LiveStream(CollectorClient client, Listener listener) {
    this.client = client;
    this.listener = listener;
    this.thread = new Thread(this::run, "vigia-stream");
    thread.setDaemon(true);
  }

  LiveStream start() {
    thread.start();
    return this;
  }

  private void run() {
    SseParser parser = new SseParser();
    while (!closed) {
      try {
        follow(parser, listener::event);
        listener.link(false, "the collector closed the stream");
      } catch (IOException e) {
        listener.link(false, "cannot reach the collector at " + client.base());
      } catch (InterruptedException e) {
        return;
      }
      try {
        Thread.sleep(RETRY.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void follow(SseParser parser, Consumer<ApiStreamEvent> sink)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(client.base().resolve("/api/v1/stream"))
            .header("Accept", "text/event-stream")
            .GET();
    if (parser.lastId() != null) {
      request.header("Last-Event-ID", parser.lastId());
    }
    HttpResponse<Stream<String>> response =
        client.http().send(request.build(), HttpResponse.BodyHandlers.ofLines());
    if (response.statusCode() != 200) {
      response.body().close();
      listener.link(false, "the collector answered HTTP " + response.statusCode());
      return;
    }
    listener.link(true, "");
    try (Stream<String> lines = response.body()) {
      current = lines;
      Iterator<String> it = lines.iterator();
      while (!closed && it.hasNext()) {
        parser.line(it.next()).ifPresent(event -> sink.accept(parse(event)));
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static ApiStreamEvent parse(SseParser.Event event) {
    ApiStreamEvent.Builder out = ApiStreamEvent.newBuilder();
    try {
      PARSER.merge(event.data(), out);
    } catch (InvalidProtocolBufferException e) {
      // Not one of ours: keep its type so the consumer can ignore it.
      out.setType("unreadable");
    }
    return out.build();
  }

  @Override
  public void close() {
    closed = true;
    Stream<String> stream = current;
    if (stream != null) {
      stream.close();
    }
    thread.interrupt();
  }
}
