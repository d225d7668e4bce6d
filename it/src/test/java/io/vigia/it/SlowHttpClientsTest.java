package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigia.collector.Collector;
import io.vigia.collector.CollectorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slowloris against the HTTP side: 500 connections that each send a request's headers one byte
 * every 500 ms are all closed within the header timeout (plus a little scheduling), answered 408,
 * while ordinary requests keep being answered meanwhile.
 */
class SlowHttpClientsTest {

  private static final Logger log = LoggerFactory.getLogger(SlowHttpClientsTest.class);
  private static final int SLOW = 500;
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(3);

  @Test
  void slowClientsAreClosedWithinTheHeaderTimeoutWhileOthersAreAnswered() throws Exception {
    try (Collector collector =
            Fleet.startCollector(
                CollectorConfig.builder()
                    .listen(Fleet.loopback(0))
                    .http(Fleet.loopback(0))
                    .httpHeaderTimeout(HEADER_TIMEOUT)
                    .httpRequestTimeout(HEADER_TIMEOUT.multipliedBy(2)));
        Selector selector = Selector.open()) {
      Map<SocketChannel, Long> openedAt = new HashMap<>();
      Map<SocketChannel, String> answers = new HashMap<>();
      List<Long> closedAfterMillis = new ArrayList<>();
      for (int i = 0; i < SLOW; i++) {
        SocketChannel ch = SocketChannel.open(collector.httpAddress());
        ch.write(ByteBuffer.wrap("GET /api/v1/agents HTTP/1.1\r\nX-Slow: ".getBytes()));
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ);
        openedAt.put(ch, System.nanoTime());
        answers.put(ch, "");
      }
      HttpClient http = HttpClient.newHttpClient();
      URI agents =
          URI.create("http://127.0.0.1:" + collector.httpAddress().getPort() + "/api/v1/agents");
      int answered = 0;
      long deadline = System.nanoTime() + HEADER_TIMEOUT.plusSeconds(10).toNanos();
      long nextTrickle = System.nanoTime();
      ByteBuffer read = ByteBuffer.allocate(4096);
      while (!openedAt.isEmpty() && System.nanoTime() < deadline) {
        if (System.nanoTime() >= nextTrickle) {
          for (SocketChannel ch : openedAt.keySet()) {
            try {
              ch.write(ByteBuffer.wrap(new byte[] {'a'}));
            } catch (java.io.IOException e) {
              // closed by the collector; the read below sees it
            }
          }
          nextTrickle += 500_000_000L;
          HttpResponse<String> response =
              http.send(
                  HttpRequest.newBuilder(agents).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(response.statusCode()).isEqualTo(200);
          answered++;
        }
        selector.select(50);
        for (SelectionKey key : selector.selectedKeys()) {
          SocketChannel ch = (SocketChannel) key.channel();
          read.clear();
          int n;
          try {
            n = ch.read(read);
          } catch (java.io.IOException e) {
            n = -1;
          }
          if (n > 0) {
            answers.merge(
                ch, new String(read.array(), 0, n, StandardCharsets.ISO_8859_1), String::concat);
          } else if (n < 0) {
            closedAfterMillis.add((System.nanoTime() - openedAt.remove(ch)) / 1_000_000);
            key.cancel();
            ch.close();
          }
        }
        selector.selectedKeys().clear();
      }
      long max = closedAfterMillis.stream().mapToLong(Long::longValue).max().orElse(-1);
      log.info(
          "{} slow connections closed, the last {} ms after it opened; {} ordinary requests"
              + " answered meanwhile",
          closedAfterMillis.size(),
          max,
          answered);
      assertThat(openedAt).as("slow connections still open").isEmpty();
      assertThat(closedAfterMillis).hasSize(SLOW);
      assertThat(max).isLessThan(HEADER_TIMEOUT.plusSeconds(2).toMillis());
      assertThat(answers.values()).allSatisfy(a -> assertThat(a).startsWith("HTTP/1.1 408 "));
      assertThat(answered).isGreaterThanOrEqualTo(5);
    }
  }
}
