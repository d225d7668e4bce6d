package io.vigia.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * The encoded {@code Snapshot} of a frame that holds nothing else, passed along a pipeline
 * undecoded so that its reader can take the figures straight from the bytes (the collector does, to
 * skip building messages). Handlers that count or limit frames treat it as a snapshot frame.
 *
 * <p>Reference counted: whoever consumes it releases it.
 */
public final class SnapshotBytes extends DefaultByteBufHolder {

  public SnapshotBytes(ByteBuf snapshot) {
    super(snapshot);
  }

  @Override
  public SnapshotBytes replace(ByteBuf content) {
    return new SnapshotBytes(content);
  }
}
