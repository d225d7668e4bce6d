package io.vigia.agent.link;

import io.netty.channel.Channel;
import io.vigia.proto.ErrorCode;

/** What a link's handler reports to its owner; called on the link's event loop. */
interface LinkEvents {

  /**
   * The collector accepted the {@code Hello}.
   *
   * @param lastStoredSeq it already stores everything up to this sequence of this epoch
   * @param heartbeatMillis it sends a heartbeat after this long without writing (0: unknown)
   */
  void welcomed(Channel channel, String sessionId, long lastStoredSeq, int heartbeatMillis);

  /** The collector stores everything up to and including {@code seq}. */
  void acknowledged(long seq);

  /** The collector refused the link with an {@code Error} and is closing it. */
  void refused(Channel channel, ErrorCode code, String message);

  /** The link can take more bytes again. */
  void writable(Channel channel);
}
