package io.vigia.collector.store;

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
import io.vigia.proto.ApiStore;
import io.vigia.proto.ApiStoreRecovery;

/**
 * Answers {@code GET /api/v1/store}: the store's figures as JSON ({@code ApiStore} in the proto3
 * JSON mapping). Every other request goes on to the next handler.
 *
 * <pre>
 * {"durable": true, "dataDir": "/var/lib/vigia-collector", "fsync": "batch", "writable": true,
 *  "logBytes": "10485760", "logSegments": 1, "dropped": {"retention_age": "0", ...},
 *  "recovery": {"hosts": "50", "samples": "36000", "tornBytes": "17", "seconds": 0.4}, ...}
 * </pre>
 */
@Sharable
public final class StoreApiHandler extends ChannelInboundHandlerAdapter {

  static final String PATH = "/api/v1/store";

  private final Store store;

  public StoreApiHandler(Store store) {
    this.store = store;
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
        json = json(store.status());
      } else {
        status = HttpResponseStatus.METHOD_NOT_ALLOWED;
        json = "{\"error\": \"method_not_allowed\", \"message\": \"only GET is served here\"}";
      }
      HttpReplies.send(ctx, request, HttpReplies.json(request, status, json));
    } finally {
      request.release();
    }
  }

  static String json(StoreStatus status) {
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
            .setRecovery(
                ApiStoreRecovery.newBuilder()
                    .setHosts(recovery.hosts())
                    .setSamples(recovery.samples())
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
