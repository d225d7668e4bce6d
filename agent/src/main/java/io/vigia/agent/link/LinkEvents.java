package io.vigia.agent.link;

import io.netty.channel.Channel;

/** What a link's handler reports to its owner; called on the link's event loop. */
interface LinkEvents {

  /** The collector accepted the {@code Hello}; it already stores everything up to the seq. */
  void welcomed(Channel channel, String sessionId, long lastStoredSeq);

  /** The collector stores everything up to and including {@code seq}. */
  void acknowledged(long seq);
}
