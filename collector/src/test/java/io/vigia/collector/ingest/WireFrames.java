package io.vigia.collector.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.proto.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Frames as they travel: a 4-byte length, then the Frame; for the ingest pipeline's tests. */
final class WireFrames {

  private WireFrames() {}

  /** {@code frames} as an agent writes them, one after the other. */
  static ByteBuf framed(Frame... frames) {
    ByteBuf buf = Unpooled.buffer();
    for (Frame frame : frames) {
      byte[] body = frame.toByteArray();
      buf.writeInt(body.length).writeBytes(body);
    }
    return buf;
  }

  /** Every frame the collector wrote on {@code ch}, decoded the way an agent reads them. */
  static List<Frame> written(EmbeddedChannel ch) throws InvalidProtocolBufferException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object msg = ch.readOutbound(); msg != null; msg = ch.readOutbound()) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        byte[] chunk = new byte[buf.readableBytes()];
        buf.readBytes(chunk);
        out.writeBytes(chunk);
      } finally {
        buf.release();
      }
    }
    ByteBuffer wire = ByteBuffer.wrap(out.toByteArray());
    List<Frame> frames = new ArrayList<>();
    while (wire.hasRemaining()) {
      byte[] body = new byte[wire.getInt()];
      wire.get(body);
      frames.add(Frame.parseFrom(body));
    }
    return frames;
  }
}
