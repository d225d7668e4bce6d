package io.vigia.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.vigia.proto.Frame;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Moves frames and bytes in and out of {@link EmbeddedChannel}s that carry the Vigia codec. */
final class Wire {

  private Wire() {}

  /** A channel with just {@link FrameCodec#install}, time frozen before any handler is added. */
  static EmbeddedChannel codecChannel(int maxFrameBytes) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    FrameCodec.install(ch.pipeline(), maxFrameBytes);
    return ch;
  }

  /** The bytes the encoders put on the wire for {@code frames}, in order. */
  static byte[] encode(Frame... frames) {
    EmbeddedChannel ch = codecChannel(Protocol.DEFAULT_MAX_FRAME_BYTES);
    try {
      for (Frame frame : frames) {
        ch.writeOutbound(frame);
      }
      return drainOutbound(ch);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /** Reads and releases every outbound buffer of {@code ch}, concatenated. */
  static byte[] drainOutbound(EmbeddedChannel ch) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Object msg; (msg = ch.readOutbound()) != null; ) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        bytes.writeBytes(ByteBufUtil.getBytes(buf));
      } finally {
        buf.release();
      }
    }
    return bytes.toByteArray();
  }

  /** Decodes wire bytes with a fresh codec channel: the complete frames they hold. */
  static List<Frame> decode(byte[] bytes) {
    EmbeddedChannel ch = codecChannel(Protocol.DEFAULT_MAX_FRAME_BYTES);
    try {
      ch.writeInbound(Unpooled.wrappedBuffer(bytes));
      return readInbound(ch);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  /** Every frame that reached the end of {@code ch}'s pipeline so far. */
  static List<Frame> readInbound(EmbeddedChannel ch) {
    List<Frame> frames = new ArrayList<>();
    for (Object msg; (msg = ch.readInbound()) != null; ) {
      frames.add((Frame) msg);
    }
    return frames;
  }
}
