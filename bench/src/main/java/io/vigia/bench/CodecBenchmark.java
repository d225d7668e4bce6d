package io.vigia.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.vigia.proto.Frame;
import io.vigia.proto.Snapshot;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding a snapshot frame as the agent does (build the {@code Frame}, serialise it: what Netty's
 * {@code ProtobufEncoder} calls) and decoding it with protobuf ({@code Frame.parseFrom}), classic
 * (protocol 1) and compact (protocol 2), for a {@link SnapshotFixture} host of 16 or 128 cores, CPU
 * only or all families. The collector itself reads snapshot frames without protobuf: {@code
 * IngestBenchmark.decodeMapAppend}.
 *
 * <pre>
 * scripts/bench-collector CodecBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

  @Param({"16", "128"})
  public int cores;

  /** "all" (memory, load, 2 file systems, 2 disks, 2 interfaces besides CPU) or "cpu". */
  @Param({"all", "cpu"})
  public String families;

  private Snapshot body;
  private Snapshot compactBody;
  private byte[] encoded;
  private byte[] encodedCompact;
  private long seq;

  @Setup
  public void setUp() {
    body = SnapshotFixture.body(cores, families.equals("all"), 42);
    compactBody =
        SnapshotFixture.compactSnapshot(cores, families.equals("all"), 1).toBuilder()
            .clearSeq()
            .clearTimeSkewMs()
            .build();
    encoded = encode();
    encodedCompact = encodeCompact();
  }

  @Benchmark
  public byte[] encode() {
    seq++;
    return Frame.newBuilder()
        .setSnapshot(body.toBuilder().setSeq(seq).setTimeMs(1_790_000_000_000L + seq * 1000))
        .build()
        .toByteArray();
  }

  @Benchmark
  public Snapshot decode() throws InvalidProtocolBufferException {
    return Frame.parseFrom(encoded).getSnapshot();
  }

  /** The agent's encoding for a collector of protocol 2. */
  @Benchmark
  public byte[] encodeCompact() {
    seq++;
    return Frame.newBuilder()
        .setSnapshot(compactBody.toBuilder().setSeq(seq).setTimeSkewMs(seq % 16))
        .build()
        .toByteArray();
  }

  /** Protobuf's parse of a compact frame (the collector reads it without, see IngestBenchmark). */
  @Benchmark
  public Snapshot decodeCompact() throws InvalidProtocolBufferException {
    return Frame.parseFrom(encodedCompact).getSnapshot();
  }
}
