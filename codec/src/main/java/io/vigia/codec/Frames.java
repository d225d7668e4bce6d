package io.vigia.codec;

import io.vigia.proto.Ack;
import io.vigia.proto.Error;
import io.vigia.proto.ErrorCode;
import io.vigia.proto.Frame;
import io.vigia.proto.Goodbye;
import io.vigia.proto.Heartbeat;

/** Factories for the small control frames, so both ends build them the same way. */
public final class Frames {

  private Frames() {}

  /** {@code Ack}: everything up to and including {@code seq} is stored. */
  public static Frame ack(long seq) {
    return Frame.newBuilder().setAck(Ack.newBuilder().setSeq(seq)).build();
  }

  /** {@code Heartbeat} stamped with the sender's clock. */
  public static Frame heartbeat(long timeMillis) {
    return Frame.newBuilder().setHeartbeat(Heartbeat.newBuilder().setTimeMs(timeMillis)).build();
  }

  /** {@code Goodbye}: the sender closes the link on purpose. */
  public static Frame goodbye(String reason) {
    return Frame.newBuilder().setGoodbye(Goodbye.newBuilder().setReason(reason)).build();
  }

  /** {@code Error}: the sender rejects something and closes the link. */
  public static Frame error(ErrorCode code, String message) {
    return Frame.newBuilder()
        .setError(Error.newBuilder().setCode(code).setMessage(message))
        .build();
  }
}
