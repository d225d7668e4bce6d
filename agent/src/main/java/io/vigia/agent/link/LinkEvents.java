package io.vigia.agent.link;

import io.netty.channel.Channel;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Welcome;

/** What a link's handler reports to its owner; called on the link's event loop. */
interface LinkEvents {

  /**
   * The collector accepted the {@code Hello}: it already stores everything up to {@code
   * welcome.getLastStoredSeq()} of this epoch, and tells its heartbeat period and rate limits.
   */
  void welcomed(Channel channel, Welcome welcome);

  /** The collector stores everything up to and including {@code seq}. */
  void acknowledged(long seq);

  /** The collector refused the link with an {@code Error} and is closing it. */
  void refused(Channel channel, ErrorCode code, String message);

  /** The link can take more bytes again. */
  void writable(Channel channel);
}
