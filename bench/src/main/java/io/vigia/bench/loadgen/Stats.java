package io.vigia.bench.loadgen;

import io.vigia.proto.ErrorCode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counters and the sample-to-ack latency of every simulated agent, written from event loops. */
final class Stats {

  private final LongAdder generated = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder acked = new LongAdder();
  private final LongAdder spoolDropped = new LongAdder();
  private final LongAdder connectFailures = new LongAdder();
  private final LongAdder linkErrors = new LongAdder();
  private final LongAdder linksDown = new LongAdder();
  private final LongAdder goodbyes = new LongAdder();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicLong firstDropNanos = new AtomicLong();
  private final Map<ErrorCode, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> failureKinds = new ConcurrentHashMap<>();
  // Microseconds, up to an hour, 3 significant digits.
  private final Recorder latency = new Recorder(3_600_000_000L, 3);
  private volatile boolean measuring;

  void generated() {
    generated.increment();
  }

  void sent() {
    sent.increment();
  }

  void acked(long nanos) {
    acked.increment();
    latency.recordValue(Math.max(0, Math.min(nanos / 1000, 3_600_000_000L)));
  }

  void spoolDropped() {
    spoolDropped.increment();
  }

  void connectFailed(Throwable cause) {
    connectFailures.increment();
    failureKinds.computeIfAbsent("connect: " + describe(cause), k -> new LongAdder()).increment();
  }

  void linkError(Throwable cause) {
    linkErrors.increment();
    failureKinds.computeIfAbsent("link: " + describe(cause), k -> new LongAdder()).increment();
  }

  void welcomed() {
    connected.incrementAndGet();
  }

  void linkDown() {
    connected.decrementAndGet();
    linksDown.increment();
    if (measuring) {
      firstDropNanos.compareAndSet(0, System.nanoTime());
    }
  }

  void goodbye() {
    goodbyes.increment();
  }

  void error(String agent, ErrorCode code, String message) {
    LongAdder count = errors.computeIfAbsent(code, k -> new LongAdder());
    if (count.sum() == 0) {
      System.err.println("vigia-loadgen: " + agent + " got Error " + code + ": " + message);
    }
    count.increment();
  }

  void startMeasuring() {
    measuring = true;
    latency.reset();
  }

  /** The latencies recorded since the last call (microseconds). */
  Histogram interval(Histogram recycle) {
    return latency.getIntervalHistogram(recycle);
  }

  long generatedCount() {
    return generated.sum();
  }

  long sentCount() {
    return sent.sum();
  }

  long ackedCount() {
    return acked.sum();
  }

  long spoolDroppedCount() {
    return spoolDropped.sum();
  }

  long connectFailureCount() {
    return connectFailures.sum();
  }

  long linkErrorCount() {
    return linkErrors.sum();
  }

  long linksDownCount() {
    return linksDown.sum();
  }

  long goodbyeCount() {
    return goodbyes.sum();
  }

  int connectedCount() {
    return connected.get();
  }

  long firstDropNanos() {
    return firstDropNanos.get();
  }

  Map<ErrorCode, LongAdder> errors() {
    return errors;
  }

  Map<String, LongAdder> failureKinds() {
    return failureKinds;
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName()
        + (message == null ? "" : " " + message.replaceAll("[0-9.:/]+", "#"));
  }
}
