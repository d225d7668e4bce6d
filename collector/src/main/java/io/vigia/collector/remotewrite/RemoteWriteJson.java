package io.vigia.collector.remotewrite;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import io.vigia.collector.remotewrite.api.ApiRemoteWriteList;
import io.vigia.collector.remotewrite.api.ApiRemoteWriteReceiver;
import java.util.List;

/**
 * {@code GET /api/v1/remote-write}: every receiver's figures as JSON ({@code ApiRemoteWriteList} in
 * the proto3 JSON mapping).
 *
 * <pre>
 * {"receivers": [{"url": "http://127.0.0.1:9090/api/v1/write", "sent": "1200",
 *   "seriesSamplesSent": "30000", "retried": "0", "dropped": "0",
 *   "droppedByReason": {"queue_full": "0"}, "queued": 0, "queueCapacity": 72000,
 *   "lagSeconds": 0.0, "lastError": "", "lastSuccess": "2026-11-27T13:30:00Z"}]}
 * </pre>
 */
final class RemoteWriteJson {

  static final String PATH = "/api/v1/remote-write";

  private RemoteWriteJson() {}

  static String of(List<ReceiverStatus> receivers) {
    ApiRemoteWriteList.Builder list = ApiRemoteWriteList.newBuilder();
    for (ReceiverStatus status : receivers) {
      ApiRemoteWriteReceiver.Builder receiver =
          ApiRemoteWriteReceiver.newBuilder()
              .setUrl(status.url())
              .setSent(status.sent())
              .setSeriesSamplesSent(status.seriesSamplesSent())
              .setRetried(status.retried())
              .setDropped(status.droppedTotal())
              .putAllDroppedByReason(status.dropped())
              .setQueued(status.queued())
              .setQueueCapacity(status.queueCapacity())
              .setLagSeconds(status.lagSeconds())
              .setLastError(status.lastError());
      if (status.lastSuccess() != null) {
        receiver.setLastSuccess(Timestamps.fromMillis(status.lastSuccess().toEpochMilli()));
      }
      list.addReceivers(receiver);
    }
    try {
      return JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(list);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot render the remote-write status", e);
    }
  }
}
