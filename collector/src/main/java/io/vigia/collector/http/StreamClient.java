package io.vigia.collector.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client of the live stream: its bounded queue of rendered events, drained on its channel's
 * event loop whenever the socket can take more.
 *
 * <p>Thread-safety: {@link #offer} may be called from any thread; {@link #drain} runs on the
 * channel's event loop.
 */
final class StreamClient {
  /** Writes are batched into chunks up to this size, so one flush carries many events. */
  private static final int BATCH_CHARS = 32 * 1024;

  private final Channel channel;
  private final BlockingQueue<String> queue;
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  StreamClient(Channel channel, int capacity) {
    this.channel = channel;
    this.queue = new ArrayBlockingQueue<>(capacity);
  }

  Channel channel() {
    return channel;
  }

  /** False if the queue is full: the client is too slow. */
  boolean offer(String text) {
    if (!queue.offer(text)) {
      return false;
    }
    if (drainScheduled.compareAndSet(false, true)) {
      channel.eventLoop().execute(this::drain);
    }
    return true;
  }

  /** Writes what is queued while the socket takes it; runs on the channel's event loop. */
  void drain() {
    drainScheduled.set(false);
    if (!channel.isActive()) {
      queue.clear();
      return;
    }
    boolean wrote = false;
    StringBuilder batch = new StringBuilder();
    String next;
    while (channel.isWritable() && (next = queue.poll()) != null) {
      batch.append(next);
      if (batch.length() >= BATCH_CHARS) {
        write(batch);
        wrote = true;
      }
    }
    if (batch.length() > 0) {
      write(batch);
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  private void write(StringBuilder batch) {
    channel.write(new DefaultHttpContent(Unpooled.copiedBuffer(batch, StandardCharsets.UTF_8)));
    batch.setLength(0);
  }
}
