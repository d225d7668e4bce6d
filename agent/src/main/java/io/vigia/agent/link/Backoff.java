package io.vigia.agent.link;

import java.time.Duration;

/** How long to wait before the next connection attempt. */
interface Backoff {

  /** The delay before the next attempt; each call counts as one more failure. */
  Duration nextDelay();

  /** Called after a healthy link: the next failure starts from the initial delay again. */
  void reset();
}
