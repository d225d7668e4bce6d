package io.vigia.collector.store;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import io.vigia.proto.ApiStore;
import io.vigia.proto.ApiStoreRecovery;

/**
 * {@code GET /api/v1/store}: the store's figures as JSON ({@code ApiStore} in the proto3 JSON
 * mapping).
 *
 * <pre>
 * {"durable": true, "dataDir": "/var/lib/vigia-collector", "fsync": "batch", "writable": true,
 *  "logBytes": "10485760", "logSegments": 1, "dropped": {"retention_age": "0", ...},
 *  "recovery": {"hosts": "50", "samples": "36000", "tornBytes": "17", "seconds": 0.4}, ...}
 * </pre>
 */
public final class StoreJson {

  /** Where {@code GET} answers with {@link #of}. */
  public static final String PATH = "/api/v1/store";

  private StoreJson() {}

  /** The JSON of {@code status}. */
  public static String of(StoreStatus status) {
    StoreStatus.Recovery recovery = status.recovery();
    ApiStore.Builder api =
        ApiStore.newBuilder()
            .setDurable(status.durable())
            .setFsync(status.fsync())
            .setWritable(status.writable())
            .setLogBytes(status.logBytes())
            .setLogSegments(status.segments())
            .setQueuedBytes(status.queuedBytes())
            .setWriteFailures(status.writeFailures())
            .setCommittedRecords(status.committedRecords())
            .putAllDropped(status.dropped())
            .setFsyncs(status.fsyncs().count())
            .setFsyncSecondsTotal(status.fsyncs().sumSeconds())
            .setFsyncSecondsMax(status.fsyncs().maxSeconds())
            .setBlockBytes(status.blocks().bytes())
            .setBlockSegments(status.blocks().segments())
            .setBlockChunks(status.blocks().chunks())
            .setBlockSamples(status.blocks().samples())
            .setCheckpoints(status.blocks().checkpoints())
            .setRecovery(
                ApiStoreRecovery.newBuilder()
                    .setHosts(recovery.hosts())
                    .setSamples(recovery.samples())
                    .setFromBlocks(recovery.fromBlocks())
                    .setUnrestorable(recovery.unrestorable())
                    .setTornBytes(recovery.tornBytes())
                    .setCorruptRegions(recovery.corruptRegions())
                    .setCorruptBytes(recovery.corruptBytes())
                    .setSeconds(recovery.took().toNanos() / 1e9));
    if (status.dir() != null) {
      api.setDataDir(status.dir());
    }
    if (status.lastError() != null) {
      api.setLastError(status.lastError());
    }
    if (status.failingSince() != null) {
      api.setFailingSince(Timestamps.fromMillis(status.failingSince().toEpochMilli()));
    }
    if (status.oldestSample() != null) {
      api.setOldestSample(Timestamps.fromMillis(status.oldestSample().toEpochMilli()));
    }
    try {
      return JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(api);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot render the store's status", e);
    }
  }
}
