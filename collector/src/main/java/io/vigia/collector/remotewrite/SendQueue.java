package io.vigia.collector.remotewrite;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded queue between the links that store samples and one receiver's sender thread. {@link
 * #offer} never blocks: when the queue is full, the oldest sample goes and is counted, so a slow or
 * dead receiver costs memory up to the capacity and never time on the event loops.
 *
 * <p>Thread-safety: safe for concurrent use; the lock is held only to add, remove or count.
 */
final class SendQueue {

  private final int capacity;
  private final ArrayDeque<Pending> items;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private long droppedFull;

  SendQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive: " + capacity);
    }
    this.capacity = capacity;
    this.items = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  /**
   * Adds {@code item} at the end, dropping the oldest one if the queue is full.
   *
   * @return 0, or if an older sample was dropped to make room, how many were dropped so far
   */
  long offer(Pending item) {
    lock.lock();
    try {
      long dropped = 0;
      if (items.size() == capacity) {
        items.pollFirst();
        dropped = ++droppedFull;
      }
      items.addLast(item);
      notEmpty.signal();
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Removes up to {@code max} of the oldest samples, waiting up to {@code timeout} for the first.
   *
   * @return oldest first; empty if none came in time
   */
  List<Pending> take(int max, long timeout, TimeUnit unit) throws InterruptedException {
    long nanos = unit.toNanos(timeout);
    lock.lockInterruptibly();
    try {
      while (items.isEmpty()) {
        if (nanos <= 0) {
          return List.of();
        }
        nanos = notEmpty.awaitNanos(nanos);
      }
      List<Pending> batch = new ArrayList<>(Math.min(max, items.size()));
      while (batch.size() < max && !items.isEmpty()) {
        batch.add(items.pollFirst());
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Samples waiting now. */
  int size() {
    lock.lock();
    try {
      return items.size();
    } finally {
      lock.unlock();
    }
  }

  int capacity() {
    return capacity;
  }

  /** Samples dropped because the queue was full. */
  long droppedFull() {
    lock.lock();
    try {
      return droppedFull;
    } finally {
      lock.unlock();
    }
  }

  /** When the oldest waiting sample was taken, or null if none waits. */
  Instant oldestTime() {
    lock.lock();
    try {
      Pending first = items.peekFirst();
      return first == null ? null : first.sample().time();
    } finally {
      lock.unlock();
    }
  }

  /** Empties the queue. @return how many samples it held */
  int clear() {
    lock.lock();
    try {
      int n = items.size();
      items.clear();
      return n;
    } finally {
      lock.unlock();
    }
  }
}
