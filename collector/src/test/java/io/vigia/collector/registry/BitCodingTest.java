package io.vigia.collector.registry;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BitCodingTest {

  private static final long[] EDGES = {
    0,
    1,
    -1,
    31,
    -32,
    32,
    -33,
    4095,
    -4096,
    4096,
    524_287,
    -524_288,
    524_288,
    1L << 40,
    Long.MAX_VALUE,
    Long.MIN_VALUE,
    Long.MAX_VALUE - 1,
    Long.MIN_VALUE + 1
  };

  @Test
  void everyBucketBoundaryAndExtremeComesBackWhereverItStarts() {
    for (int offset = 0; offset < 64; offset++) {
      BitWriter out = new BitWriter(1);
      if (offset > 0) {
        out.write((1L << offset) - 1 & 0x5555_5555_5555_5555L, offset);
      }
      for (long v : EDGES) {
        out.putDelta(v);
      }
      BitReader in = new BitReader(out.seal());
      if (offset > 0) {
        in.read(offset);
      }
      for (long v : EDGES) {
        assertThat(in.delta()).as("%d after %d bits", v, offset).isEqualTo(v);
      }
    }
  }

  @Test
  void aZeroCostsOneBitAndASmallStepOneByte() {
    BitWriter out = new BitWriter(1);
    out.putDelta(0);
    assertThat(out.bits()).isEqualTo(1);
    out.putDelta(-31);
    assertThat(out.bits()).isEqualTo(9);
    out.putDelta(31);
    assertThat(out.bits()).isEqualTo(17);
    out.putDelta(Long.MIN_VALUE);
    assertThat(out.bits()).isEqualTo(17 + 74);
  }

  @Property(tries = 200)
  void anySequenceOfLongsComesBack(@ForAll long[] values) {
    BitWriter out = new BitWriter(1);
    for (long v : values) {
      out.putDelta(v);
    }
    BitReader in = new BitReader(out.seal());
    for (long v : values) {
      assertThat(in.delta()).isEqualTo(v);
    }
  }

  @Test
  void aClearedWriterStartsAfreshAndKeepsWorking() {
    BitWriter out = new BitWriter(1);
    for (int i = 0; i < 100; i++) {
      out.putDelta(Long.MIN_VALUE + i);
    }
    out.clear();
    out.putDelta(5);
    out.putDelta(0);

    assertThat(out.bits()).isEqualTo(9);
    BitReader in = new BitReader(out.seal());
    assertThat(in.delta()).isEqualTo(5);
    assertThat(in.delta()).isZero();
  }
}
