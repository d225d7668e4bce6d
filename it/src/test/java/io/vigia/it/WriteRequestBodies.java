package io.vigia.it;

import com.sun.net.httpserver.HttpHandler;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.vigia.collector.remotewrite.prompb.TimeSeries;
import io.vigia.collector.remotewrite.prompb.WriteRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/** Reads remote-write request bodies the way a receiver does, for test receivers. */
final class WriteRequestBodies {

  private WriteRequestBodies() {}

  /** The request in a snappy-compressed body. */
  static WriteRequest decode(InputStream in) throws IOException {
    byte[] body = in.readAllBytes();
    byte[] raw = new byte[SnappyDecompressor.getUncompressedLength(body, 0)];
    new SnappyDecompressor().decompress(body, 0, body.length, raw, 0, raw.length);
    return WriteRequest.parseFrom(raw);
  }

  /** Gives {@code counter} each series' name and its sample count in the body. */
  static void countByName(InputStream in, BiConsumer<String, Integer> counter) throws IOException {
    try (in) {
      for (TimeSeries series : decode(in).getTimeseriesList()) {
        counter.accept(series.getLabels(0).getValue(), series.getSamplesCount());
      }
    }
  }

  /**
   * A receiver's handler that accepts every request (204) and adds the samples of the series {@code
   * name} to {@code count}.
   */
  static HttpHandler accepting(String name, AtomicInteger count) {
    return exchange -> {
      countByName(
          exchange.getRequestBody(),
          (series, n) -> {
            if (series.equals(name)) {
              count.addAndGet(n);
            }
          });
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    };
  }

  /** {@link #countByName} into a map of totals. */
  static void countInto(InputStream in, Map<String, Integer> totals) throws IOException {
    countByName(in, (name, n) -> totals.merge(name, n, Integer::sum));
  }
}
