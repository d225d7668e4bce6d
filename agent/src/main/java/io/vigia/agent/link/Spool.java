package io.vigia.agent.link;

import io.vigia.agent.sampling.Sample;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples taken but not yet acknowledged by the collector, oldest first, bounded: when full, the
 * oldest sample is dropped and counted.
 *
 * <p>Not thread-safe: confined to the link's event loop.
 */
final class Spool {

  private final int capacity;
  private final ArrayDeque<Sample> pending;
  private long dropped;

  Spool(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("spool capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.pending = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  void add(Sample sample) {
    if (pending.size() == capacity) {
      pending.removeFirst();
      dropped++;
    }
    pending.addLast(sample);
  }

  /** Forgets every sample up to and including {@code seq}: the collector stores them. */
  void acknowledge(long seq) {
    while (!pending.isEmpty() && pending.peekFirst().seq() <= seq) {
      pending.removeFirst();
    }
  }

  /** The pending samples after {@code seq}, oldest first. */
  List<Sample> after(long seq) {
    List<Sample> result = new ArrayList<>();
    for (Sample sample : pending) {
      if (sample.seq() > seq) {
        result.add(sample);
      }
    }
    return result;
  }

  int size() {
    return pending.size();
  }

  long dropped() {
    return dropped;
  }
}
