package io.vigia.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import io.vigia.agent.sampling.CpuUsage;
import io.vigia.agent.sampling.DiskIo;
import io.vigia.agent.sampling.FileSystemUsage;
import io.vigia.agent.sampling.InterfaceIo;
import io.vigia.agent.sampling.MemoryUsage;
import io.vigia.agent.sampling.Sample;
import io.vigia.agent.sampling.SystemLoad;
import io.vigia.proto.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The new families as the agent sends them, and what a collector of the CPU-only schema sees. */
class FamiliesOnTheWireTest {

  private static final CpuUsage CPU =
      new CpuUsage(
          375,
          new int[] {500, 250},
          new int[] {201, 3, 150, 520, 100, 11, 9, 6},
          Duration.ofSeconds(5));

  private static final Sample EVERYTHING =
      new Sample(
          7,
          Instant.parse("2026-01-01T00:00:05Z"),
          Duration.ofSeconds(5),
          CPU,
          new MemoryUsage(16L << 30, 12L << 30, 8L << 30, -1, 2L << 30, 0, 0, -1),
          new SystemLoad(52, 48, -1, 86_400, 312, 1_204, 210_000, -1),
          List.of(
              new FileSystemUsage(
                  "/", "/dev/vda", "ext4", 252L << 30, 23L << 30, 80L << 30, 1000, 10)),
          List.of(new DiskIo("vda", 0, 12 << 20, -1, 4_500, 32)),
          List.of(new InterfaceIo("eth0", true, 1_200, 300, 1_200, 800, 0, 0, -1, -1)));

  @Test
  void unknownFiguresAreUnsetOptionalsAndZeroRatesAreSentAsZero() {
    Snapshot snapshot = FrameMapper.snapshot(EVERYTHING).getSnapshot();

    assertThat(snapshot.getMemory().hasBuffersBytes()).isFalse();
    assertThat(snapshot.getMemory().hasSwapInPagesX100()).isTrue();
    assertThat(snapshot.getMemory().getSwapInPagesX100()).isZero();
    assertThat(snapshot.getMemory().hasSwapOutPagesX100()).isFalse();
    assertThat(snapshot.getSystem().getLoad5X100()).isEqualTo(48);
    assertThat(snapshot.getSystem().hasLoad15X100()).isFalse();
    assertThat(snapshot.getSystem().hasInterruptsX100()).isFalse();
    assertThat(snapshot.getFileSystems(0).getMount()).isEqualTo("/");
    assertThat(snapshot.getDisks(0).getWriteBytesPerS()).isEqualTo(12 << 20);
    assertThat(snapshot.getDisks(0).hasReadOpsX100()).isFalse();
    assertThat(snapshot.getDisks(0).getBusy()).isEqualTo(32);
    assertThat(snapshot.getInterfaces(0).getUp()).isTrue();
    assertThat(snapshot.getInterfaces(0).hasRxDropsX100()).isFalse();
  }

  @Test
  void aCpuOnlySampleEncodesExactlyAsBeforeTheFamilies() {
    Sample cpuOnly = new Sample(7, EVERYTHING.time(), EVERYTHING.interval(), CPU);

    Snapshot snapshot = FrameMapper.snapshot(cpuOnly).getSnapshot();

    assertThat(snapshot.hasMemory()).isFalse();
    assertThat(snapshot.hasSystem()).isFalse();
    assertThat(snapshot.getFileSystemsCount() + snapshot.getDisksCount()).isZero();
    assertThat(snapshot.getInterfacesCount()).isZero();
  }

  /**
   * The schema of a collector from before the families: the same file with every Snapshot field
   * from tag 10 on removed, as the foundation release had it.
   */
  private static Descriptor oldSnapshotSchema() throws Exception {
    FileDescriptorProto current = Snapshot.getDescriptor().getFile().toProto();
    FileDescriptorProto.Builder old = current.toBuilder();
    for (int i = 0; i < old.getMessageTypeCount(); i++) {
      DescriptorProto.Builder message = old.getMessageTypeBuilder(i);
      if (message.getName().equals("Snapshot")) {
        for (int f = message.getFieldCount() - 1; f >= 0; f--) {
          if (message.getField(f).getNumber() >= 10) {
            message.removeField(f);
          }
        }
      }
    }
    FileDescriptor file =
        FileDescriptor.buildFrom(
            old.build(),
            Snapshot.getDescriptor().getFile().getDependencies().toArray(new FileDescriptor[0]));
    return file.findMessageTypeByName("Snapshot");
  }

  @Test
  void aCollectorOfTheCpuOnlySchemaReadsTheCpuFiguresAndSkipsTheRest() throws Exception {
    byte[] wire = FrameMapper.snapshot(EVERYTHING).getSnapshot().toByteArray();
    Descriptor oldSnapshot = oldSnapshotSchema();

    DynamicMessage seenByOld = DynamicMessage.parseFrom(oldSnapshot, wire);

    assertThat(seenByOld.getField(oldSnapshot.findFieldByName("seq"))).isEqualTo(7L);
    DynamicMessage cpu = (DynamicMessage) seenByOld.getField(oldSnapshot.findFieldByName("cpu"));
    assertThat(cpu.getField(cpu.getDescriptorForType().findFieldByName("busy"))).isEqualTo(375);
    assertThat(cpu.getField(cpu.getDescriptorForType().findFieldByName("core_busy")))
        .isEqualTo(List.of(500, 250));
    // The families are unknown fields to it: kept as bytes, never an error.
    assertThat(seenByOld.getUnknownFields().asMap().keySet()).containsExactly(10, 11, 12, 13, 14);
    assertThat(oldSnapshot.findFieldByName("memory")).isNull();
  }
}
