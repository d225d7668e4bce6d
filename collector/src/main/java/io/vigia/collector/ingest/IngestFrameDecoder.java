package io.vigia.collector.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.vigia.codec.SnapshotBytes;
import io.vigia.proto.Frame;
import java.util.List;

/**
 * The collector's frame decoder, in place of the shared one: a frame that holds only a {@code
 * Snapshot} goes on as {@link SnapshotBytes}, for the session to read without building messages;
 * every other frame is parsed into a {@link Frame} as before, and bytes that are not a frame fail
 * the same way ({@code DecoderException} caused by {@code InvalidProtocolBufferException}).
 */
@Sharable
final class IngestFrameDecoder extends MessageToMessageDecoder<ByteBuf> {

  static final IngestFrameDecoder INSTANCE = new IngestFrameDecoder();

  /** {@code Frame.snapshot}: field 3, length-delimited. */
  private static final int SNAPSHOT_TAG = 3 << 3 | 2;

  private IngestFrameDecoder() {
    super(ByteBuf.class);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out)
      throws Exception {
    int start = frame.readerIndex();
    int end = frame.writerIndex();
    if (end - start >= 2 && frame.getByte(start) == SNAPSHOT_TAG) {
      // The snapshot's length, a varint of at most 5 bytes; it must reach exactly the frame's end.
      long length = 0;
      int pos = start + 1;
      for (int shift = 0; shift < 35 && pos < end; shift += 7) {
        byte b = frame.getByte(pos++);
        length |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          if (pos + length == end) {
            out.add(new SnapshotBytes(frame.retainedSlice(pos, (int) length)));
            return;
          }
          break;
        }
      }
    }
    out.add(Frame.parser().parseFrom(frame.nioBuffer()));
  }
}
