package io.vigia.collector.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vigia.bench.HostSamples;
import io.vigia.bench.SnapshotFixture;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.Frame;
import java.time.InstantSource;
import java.util.List;
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
 * The collector's work per snapshot without the network: {@code decodeMapAppend} is what a session
 * does for one snapshot frame (read its bytes with {@link SnapshotReader}, check and map with
 * {@link FrameMapper}, append into the host's history), {@code decodeMapAppendCompact} the same for
 * a protocol-2 frame, {@code parseMapAppend} the protobuf path the reader leaves odd encodings to
 * (and the collector's only path before the reader); {@code append} is the registry alone, with
 * realistic samples that differ from one to the next ({@link HostSamples}, as the history's
 * encoding cost depends on the values). {@code readHistory} is what {@code GET .../history?last=N}
 * reads before rendering JSON. The history is full (720 samples of {@link HostSamples}), so appends
 * replace the oldest, as in a collector that has run for a while.
 *
 * <p>It lives in the collector's ingest package to call the package-private {@link FrameMapper},
 * the code the collector really runs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IngestBenchmark {

  private static final int HISTORY = 720;
  // Distinct samples appended in turn: more than the history holds (a power of two).
  private static final int SAMPLES = 1024;

  @Param({"16", "128"})
  public int cores;

  @Param({"all", "cpu"})
  public String families;

  private HostRegistry registry;
  private HostIdentity identity;
  private byte[] encoded;
  private ByteBuf snapshotBytes;
  private ByteBuf compactBytes;
  private final SnapshotReader reader = new SnapshotReader();
  private final RawSnapshot raw = new RawSnapshot();
  private StoredSample[] samples;
  private long seq;

  @Setup
  public void setUp() throws Exception {
    registry = new HostRegistry(HISTORY, InstantSource.system());
    identity = new HostIdentity("bench-1", "bench-1", "Linux", cores, "bench", 7, 1000);
    registry.connect(1, identity, "127.0.0.1:40000");
    encoded =
        Frame.newBuilder()
            .setSnapshot(
                SnapshotFixture.snapshot(cores, families.equals("all"), 1, 1_790_000_000_000L))
            .build()
            .toByteArray();
    // What the collector's frame decoder hands the session: the Snapshot's own bytes.
    snapshotBytes = Unpooled.wrappedBuffer(Frame.parseFrom(encoded).getSnapshot().toByteArray());
    compactBytes =
        Unpooled.wrappedBuffer(
            SnapshotFixture.compactSnapshot(cores, families.equals("all"), 1).toByteArray());
    HostSamples host = HostSamples.realistic(cores, families.equals("all"), 1);
    samples = new StoredSample[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      StoredSample s = host.next();
      samples[i] =
          new StoredSample(
              identity.epoch(), s.seq(), s.time(), s.intervalMillis(), s.cpu(), s.families());
    }
    for (int i = 0; i < HISTORY; i++) {
      append();
    }
  }

  /** What the session does for a classic snapshot frame: read its bytes, check, map, append. */
  @Benchmark
  public boolean decodeMapAppend() throws Exception {
    return readMapAppend(snapshotBytes);
  }

  /** The same for the compact frame of a protocol-2 agent. */
  @Benchmark
  public boolean decodeMapAppendCompact() throws Exception {
    return readMapAppend(compactBytes);
  }

  /** The path of frames the reader leaves to protobuf: {@code Frame.parseFrom}, then the same. */
  @Benchmark
  public boolean parseMapAppend() throws Exception {
    // As the session does: the parsed message's figures into its reused scratch, then the mapping.
    RawSnapshot.from(Frame.parseFrom(encoded).getSnapshot(), raw);
    StoredSample decoded = FrameMapper.sample(raw, identity, SnapshotFixture.TIME_BASE);
    return registry.append(1, identity.id(), withSeq(decoded, ++seq));
  }

  private boolean readMapAppend(ByteBuf bytes) throws Exception {
    if (!reader.read(bytes, bytes.readerIndex(), bytes.writerIndex(), raw)) {
      throw new IllegalStateException("the reader left the fixture to protobuf");
    }
    StoredSample decoded = FrameMapper.sample(raw, identity, SnapshotFixture.TIME_BASE);
    // The frame's seq is always 1; the registry stores a seq once, so each op takes the next one.
    return registry.append(1, identity.id(), withSeq(decoded, ++seq));
  }

  @Benchmark
  public boolean append() {
    seq++;
    return registry.append(1, identity.id(), withSeq(samples[(int) (seq & (SAMPLES - 1))], seq));
  }

  /** Samples read per history request; only {@code readHistory} uses it. */
  @State(Scope.Thread)
  public static class ReadSize {
    @Param({"60", "720"})
    public int last;
  }

  @Benchmark
  public List<StoredSample> readHistory(ReadSize size) {
    return registry.history(identity.id(), size.last).orElseThrow();
  }

  private static StoredSample withSeq(StoredSample s, long seq) {
    return new StoredSample(s.epoch(), seq, s.time(), s.intervalMillis(), s.cpu(), s.families());
  }
}
