package io.vigia.collector.remotewrite;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.vigia.collector.http.HttpReplies;
import io.vigia.collector.remotewrite.api.ApiRemoteWriteList;
import io.vigia.collector.remotewrite.api.ApiRemoteWriteReceiver;
import java.util.List;

/**
 * Answers {@code GET /api/v1/remote-write}: every receiver's figures as JSON ({@code
 * ApiRemoteWriteList} in the proto3 JSON mapping). Every other request goes on to the next handler.
 *
 * <pre>
 * {"receivers": [{"url": "http://127.0.0.1:9090/api/v1/write", "sent": "1200",
 *   "seriesSamplesSent": "30000", "retried": "0", "dropped": "0",
 *   "droppedByReason": {"queue_full": "0"}, "queued": 0, "queueCapacity": 72000,
 *   "lagSeconds": 0.0, "lastError": "", "lastSuccess": "2026-11-27T13:30:00Z"}]}
 * </pre>
 */
@Sharable
final class RemoteWriteApiHandler extends ChannelInboundHandlerAdapter {

  static final String PATH = "/api/v1/remote-write";

  private final RemoteWrite remoteWrite;

  RemoteWriteApiHandler(RemoteWrite remoteWrite) {
    this.remoteWrite = remoteWrite;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request) || !PATH.equals(HttpReplies.pathOf(request))) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      HttpResponseStatus status;
      String json;
      if (HttpMethod.GET.equals(request.method())) {
        status = HttpResponseStatus.OK;
        json = json(remoteWrite.status());
      } else {
        status = HttpResponseStatus.METHOD_NOT_ALLOWED;
        json = "{\"error\": \"method_not_allowed\", \"message\": \"only GET is served here\"}";
      }
      HttpReplies.send(ctx, request, HttpReplies.json(request, status, json));
    } finally {
      request.release();
    }
  }

  static String json(List<ReceiverStatus> receivers) {
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
