package io.vigia.bench.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vigia.bench.SnapshotFixture;
import io.vigia.codec.CompactSnapshots;
import io.vigia.proto.Frame;
import io.vigia.proto.Snapshot;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimAgentTest {

  @ParameterizedTest
  @CsvSource({
    "1, 0",
    "127, 1790000000000",
    "128, 1790000000000",
    "300000000000, 9223372036854775807"
  })
  void handWrittenFrameIsTheSnapshotProtobufWouldEncode(long seq, long timeMs) throws Exception {
    Snapshot body = SnapshotFixture.body(16, true, 7);
    ByteBuf buf = Unpooled.buffer();

    SimAgent.writeSnapshot(buf, seq, timeMs, body.toByteArray());

    assertThat(buf.readableBytes()).isEqualTo(SimAgent.frameBytes(seq, timeMs, body.toByteArray()));
    int length = buf.readInt();
    assertThat(length).isEqualTo(buf.readableBytes());
    byte[] frame = new byte[length];
    buf.readBytes(frame);
    Snapshot parsed = Frame.parseFrom(frame).getSnapshot();
    assertThat(parsed).isEqualTo(body.toBuilder().setSeq(seq).setTimeMs(timeMs).build());
  }

  @ParameterizedTest
  @CsvSource({"1, 0", "128, 7", "300000000000, -1200"})
  void handWrittenCompactFrameIsTheCompactSnapshotOfTheSameSample(long seq, long skew)
      throws Exception {
    Snapshot body = SnapshotFixture.body(16, true, 7);
    long timeBase = 1_790_000_000_000L;
    byte[] compactBody = SimAgent.compactBody(body.toByteArray(), timeBase, 1000);
    ByteBuf buf = Unpooled.buffer();

    SimAgent.writeSnapshot(buf, seq, 5 << 3, (skew << 1) ^ (skew >> 63), compactBody);

    byte[] frame = new byte[buf.readInt()];
    buf.readBytes(frame);
    Snapshot parsed = Frame.parseFrom(frame).getSnapshot();
    Snapshot classic = body.toBuilder().setSeq(seq).setTimeMs(timeBase + seq * 1000 + skew).build();
    assertThat(parsed).isEqualTo(CompactSnapshots.compact(classic, timeBase, 1000));
    assertThat(CompactSnapshots.expand(parsed, timeBase, 1000)).isEqualTo(classic);
  }

  @Test
  void sourceAddressesAreDistinctLoopbackAddressesWithoutZeroOrBroadcastBytes() throws Exception {
    Set<InetAddress> seen = new HashSet<>();
    for (int i = 0; i < 70_000; i++) {
      InetAddress address = LoadGen.sourceAddress(i);
      byte[] ip = address.getAddress();
      assertThat(address.isLoopbackAddress()).isTrue();
      for (int b = 1; b < 4; b++) {
        assertThat(ip[b] & 0xff).isBetween(1, 250);
      }
      assertThat(seen.add(address)).as("address of agent %d is new", i).isTrue();
    }
  }
}
