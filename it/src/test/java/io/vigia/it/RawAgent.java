package io.vigia.it;

import io.vigia.codec.Protocol;
import io.vigia.proto.CpuSample;
import io.vigia.proto.Frame;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A hand-made agent on a plain socket, writing exactly the bytes a test asks for: the way to put
 * several frames in one TCP segment, or one frame across many.
 */
final class RawAgent implements AutoCloseable {

  private final Socket socket = new Socket();
  private final DataInputStream in;
  private final OutputStream out;

  /**
   * Where sample times start: three days ago, so that up to 259,200 samples a second apart stay
   * within the window of times a collector accepts.
   */
  static final long TIME_BASE = System.currentTimeMillis() - 3 * 86_400_000L;

  RawAgent(InetSocketAddress collector) throws IOException {
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(10_000);
    socket.connect(collector, 5_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  static Frame hello(String id, int cores, long epoch) {
    return Frame.newBuilder()
        .setHello(
            Hello.newBuilder()
                .setProtocolVersion(Protocol.VERSION)
                .setAgentId(id)
                .setHostname(id + ".raw")
                .setOs("RawOS")
                .setCores(cores)
                .setAgentVersion("raw")
                .setEpoch(epoch)
                .setIntervalMs(1000))
        .build();
  }

  static Frame snapshot(long seq, int cores) {
    CpuSample.Builder cpu = CpuSample.newBuilder().setBusy(100).setUser(100).setIdle(900);
    for (int core = 0; core < cores; core++) {
      cpu.addCoreBusy(100 + core);
    }
    return Frame.newBuilder()
        .setSnapshot(
            Snapshot.newBuilder()
                .setSeq(seq)
                .setTimeMs(TIME_BASE + seq * 1000)
                .setIntervalMs(1000)
                .setCpu(cpu))
        .build();
  }

  /** The wire bytes of {@code frames}: each one's 4-byte length, then its body. */
  static byte[] wire(Frame... frames) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream data = new DataOutputStream(bytes);
    for (Frame frame : frames) {
      byte[] body = frame.toByteArray();
      data.writeInt(body.length);
      data.write(body);
    }
    return bytes.toByteArray();
  }

  /** Writes all of {@code bytes} in one call: one segment on loopback. */
  void writeAtOnce(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Writes {@code bytes} one byte per write. */
  void writeBytewise(byte[] bytes) throws IOException {
    for (byte b : bytes) {
      out.write(b);
      out.flush();
    }
  }

  Frame read() throws IOException {
    int length = in.readInt();
    byte[] body = new byte[length];
    in.readFully(body);
    return Frame.parseFrom(body);
  }

  /** Reads frames until one with an {@code Ack} for at least {@code seq}. */
  long awaitAck(long seq) throws IOException {
    while (true) {
      Frame frame = read();
      if (frame.hasAck() && frame.getAck().getSeq() >= seq) {
        return frame.getAck().getSeq();
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
