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
    8,
    -8,
    9,
    -9,
    63,
    -64,
    64,
    -65,
    2047,
    -2048,
    2048,
    -2049,
    524_287,
    -524_288,
    524_288,
    -524_289,
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
      byte[] lengths = new byte[2];
      for (long v : EDGES) {
        out.putDelta(v);
        out.putFigure(v, lengths, 0);
        out.putSizeDelta(v, lengths, 1);
      }
      BitReader in = new BitReader(out.seal());
      if (offset > 0) {
        in.read(offset);
      }
      byte[] read = new byte[2];
      for (long v : EDGES) {
        assertThat(in.delta()).as("%d after %d bits", v, offset).isEqualTo(v);
        assertThat(in.figure(read, 0)).as("figure %d after %d bits", v, offset).isEqualTo(v);
        assertThat(in.sizeDelta(read, 1)).as("size %d after %d bits", v, offset).isEqualTo(v);
      }
    }
  }

  @Test
  void aZeroCostsOneBitAndASmallStepSix() {
    BitWriter out = new BitWriter(1);
    out.putDelta(0);
    assertThat(out.bits()).isEqualTo(1);
    out.putDelta(-8);
    assertThat(out.bits()).isEqualTo(7);
    out.putDelta(8);
    assertThat(out.bits()).isEqualTo(13);
    out.putDelta(63);
    assertThat(out.bits()).isEqualTo(23);
    out.putDelta(Long.MIN_VALUE);
    assertThat(out.bits()).isEqualTo(23 + 75);
  }

  @Test
  void aFigureThatMovesByAboutTheSameAmountCostsItsBitsAndTwo() {
    BitWriter out = new BitWriter(1);
    byte[] lengths = new byte[1];
    out.putFigure(700_000, lengths, 0); // a zigzag of 21 bits, its length given: 1 + 9 + 20
    assertThat(out.bits()).isEqualTo(30);
    out.putFigure(-600_000, lengths, 0); // the same length: 1 + 1 + 20
    assertThat(out.bits()).isEqualTo(52);
    out.putFigure(0, lengths, 0);
    assertThat(out.bits()).isEqualTo(53);
  }

  @Test
  void sizesInWholeKilobytesAreWrittenInKilobytes() {
    BitWriter out = new BitWriter(1);
    byte[] lengths = new byte[1];
    out.putSizeDelta(-4096, lengths, 0); // -4 KiB: zigzag 7 (3 bits), 3 more than 0: 2 + 5 + 2
    assertThat(out.bits()).isEqualTo(9);
    out.putSizeDelta(4096, lengths, 0); // zigzag 8 (4 bits), one more: 2 + 3 + 3
    assertThat(out.bits()).isEqualTo(17);
    out.putSizeDelta(4095, lengths, 0); // not whole kilobytes: 2, then 13 bits given: 9 + 12
    assertThat(out.bits()).isEqualTo(40);
  }

  @Property(tries = 200)
  void anySequenceOfLongsComesBack(@ForAll long[] values) {
    BitWriter out = new BitWriter(1);
    byte[] lengths = new byte[3];
    for (int i = 0; i < values.length; i++) {
      switch (i % 3) {
        case 0 -> out.putDelta(values[i]);
        case 1 -> out.putFigure(values[i], lengths, i % 2);
        default -> out.putSizeDelta(values[i], lengths, 2);
      }
    }
    BitReader in = new BitReader(out.seal());
    byte[] read = new byte[3];
    for (int i = 0; i < values.length; i++) {
      long v =
          switch (i % 3) {
            case 0 -> in.delta();
            case 1 -> in.figure(read, i % 2);
            default -> in.sizeDelta(read, 2);
          };
      assertThat(v).isEqualTo(values[i]);
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

    assertThat(out.bits()).isEqualTo(7);
    BitReader in = new BitReader(out.seal());
    assertThat(in.delta()).isEqualTo(5);
    assertThat(in.delta()).isZero();
  }
}
