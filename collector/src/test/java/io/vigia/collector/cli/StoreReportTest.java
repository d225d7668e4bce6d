package io.vigia.collector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import io.vigia.proto.ApiStore;
import io.vigia.proto.ApiStoreRecovery;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoreReportTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @Test
  void aHealthyStoreReadsInFewLines() {
    ApiStore store =
        ApiStore.newBuilder()
            .setDurable(true)
            .setDataDir("/var/lib/vigia-collector")
            .setFsync("batch")
            .setWritable(true)
            .setLogBytes(1288490189L)
            .setLogSegments(19)
            .setBlockBytes(3L << 30)
            .setBlockSegments(48)
            .setBlockChunks(120000)
            .setBlockSamples(7200000)
            .setOldestSample(Timestamps.fromMillis(NOW.minusSeconds(7 * 86400).toEpochMilli()))
            .setFsyncs(12345)
            .setFsyncSecondsTotal(14.8)
            .setFsyncSecondsMax(0.0081)
            .putDropped("retention_age", 0)
            .setRecovery(
                ApiStoreRecovery.newBuilder()
                    .setHosts(50)
                    .setSamples(36000)
                    .setTornBytes(17)
                    .setSeconds(0.42))
            .build();

    assertThat(StoreReport.render(store, NOW))
        .isEqualTo(
            """
            Data directory  /var/lib/vigia-collector (fsync batch)
            State           writable
            Log             1.2 GiB in 19 segments; oldest sample 7d ago
            Blocks          3.0 GiB in 48 segments: 120,000 chunks, 7,200,000 samples
            Fsyncs          12,345: average 1.2 ms, longest 8.1 ms
            Last start      read 50 hosts, 36,000 samples in 0.4 s; cut 17 torn bytes
            Dropped         none
            """);
  }

  @Test
  void aFullDiskSaysSoAndWhatItMeansForTheAgents() {
    ApiStore store =
        ApiStore.newBuilder()
            .setDurable(true)
            .setDataDir("/data")
            .setFsync("batch")
            .setWritable(false)
            .setFailingSince(Timestamps.fromMillis(NOW.minusSeconds(90).toEpochMilli()))
            .setLastError("No space left on device")
            .setWriteFailures(90)
            .setQueuedBytes(2048)
            .putDropped("retention_size", 1200)
            .build();

    assertThat(StoreReport.render(store, NOW))
        .contains("NOT WRITABLE for 1m: No space left on device; agents are refused and keep")
        .contains("Waiting         2.0 KiB not yet written")
        .contains("Write failures  90")
        .contains("Dropped         1,200 retention_size (samples)");
  }

  @Test
  void aCollectorInMemorySaysWhatARestartCosts() {
    assertThat(StoreReport.render(ApiStore.getDefaultInstance(), NOW))
        .isEqualTo(
            "In memory only (--in-memory): a restart of the collector loses every sample.\n");
  }
}
