package io.vigia.agent.link;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Which collector the link tries next, and how long it waits first. The first collector is the
 * primary. When one cannot be reached, or closes before its Welcome, the next is tried at once;
 * when all of them have failed in turn, the round starts again from the primary after a backoff. A
 * link that was healthy and is lost starts again from the primary after a backoff too. While a link
 * is up on a fallback, the owner checks now and then whether the primary is back.
 *
 * <p>It only decides; the link schedules. Not thread-safe: the link's event loop owns it.
 */
final class Failover {

  /**
   * After the collector closed the link because another agent took its id: coming straight back
   * would only replace that agent in turn.
   */
  static final Duration AFTER_REPLACED = ExponentialBackoff.DEFAULT_MAX;

  private final List<InetSocketAddress> collectors;
  private final Backoff backoff;
  private int target;
  private boolean roundFailed;
  private boolean replaced;

  /**
   * @param collectors the primary first, then the fallbacks in order
   */
  Failover(List<InetSocketAddress> collectors, Backoff backoff) {
    if (collectors.isEmpty()) {
      throw new IllegalArgumentException("at least one collector is needed");
    }
    this.collectors = List.copyOf(collectors);
    this.backoff = backoff;
  }

  /** The collector to connect to now. */
  InetSocketAddress target() {
    return collectors.get(target);
  }

  InetSocketAddress primary() {
    return collectors.get(0);
  }

  /** Whether the target is a fallback: then the primary is worth checking now and then. */
  boolean onFallback() {
    return target != 0;
  }

  /**
   * Whether every collector has failed in turn since the last Welcome: the failures have been
   * reported once, and need not be again until a link has been healthy.
   */
  boolean roundFailed() {
    return roundFailed;
  }

  /**
   * The target could not be reached, or closed before its Welcome: moves to the next one.
   *
   * @return how long to wait before connecting to the new {@link #target()}
   */
  Duration failed() {
    target = (target + 1) % collectors.size();
    if (target == 0) {
      roundFailed = true;
      return backoff.nextDelay();
    }
    return Duration.ZERO;
  }

  /** The target welcomed the link: the next failure waits the initial delay again. */
  void welcomed() {
    backoff.reset();
    roundFailed = false;
  }

  /** The collector closed the link because another agent runs with this id. */
  void replaced() {
    replaced = true;
  }

  /**
   * A healthy link was lost: starts again from the primary.
   *
   * @return how long to wait before connecting to it
   */
  Duration lost() {
    target = 0;
    if (replaced) {
      replaced = false;
      return AFTER_REPLACED;
    }
    return backoff.nextDelay();
  }
}
