package io.vigia.collector.ingest;

import io.vigia.proto.ErrorCode;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent links open now, in total and per source address, against their limits. One per
 * collector, shared by every link.
 *
 * <p>Thread-safety: safe for concurrent use; a link is admitted or refused atomically.
 */
final class LinkCounts {

  private final int maxLinks;
  private final int maxPerAddress;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

  LinkCounts(int maxLinks, int maxPerAddress) {
    this.maxLinks = maxLinks;
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Counts a new link from {@code address}, or refuses it.
   *
   * @return null when admitted (then {@link #release} it once closed), else the reason
   */
  ErrorCode admit(InetAddress address) {
    if (total.incrementAndGet() > maxLinks) {
      total.decrementAndGet();
      return ErrorCode.TOO_MANY_LINKS;
    }
    boolean[] full = {false};
    perAddress.compute(
        address,
        (key, count) -> {
          int now = count == null ? 0 : count;
          if (now >= maxPerAddress) {
            full[0] = true;
            return count;
          }
          return now + 1;
        });
    if (full[0]) {
      total.decrementAndGet();
      return ErrorCode.TOO_MANY_LINKS_FROM_ADDRESS;
    }
    return null;
  }

  /** Forgets a link {@link #admit} admitted. */
  void release(InetAddress address) {
    total.decrementAndGet();
    // Removing at zero keeps the map as small as the set of addresses with open links.
    perAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
  }

  int total() {
    return total.get();
  }

  int from(InetAddress address) {
    return perAddress.getOrDefault(address, 0);
  }

  int maxLinks() {
    return maxLinks;
  }

  int maxPerAddress() {
    return maxPerAddress;
  }
}
