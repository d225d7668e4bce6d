package io.vigia.collector.ingest;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.HostRegistry;
import io.vigia.collector.store.Store;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts what the store's log holds back into the {@link HostRegistry} at start, through the same
 * checks and mapping a live link's {@code Hello} and snapshots go through: the log keeps the bytes
 * the agents sent.
 *
 * <p>Not thread-safe: the store calls it from the thread that opens it, before any link exists.
 */
public final class StoreRecovery implements Store.Recovery {

  private record Epoch(HostIdentity identity, long timeBase) {}

  private final HostRegistry registry;
  // Per host, its epochs seen in the log so far: a sample is read with the Hello of its epoch.
  private final Map<String, Map<Long, Epoch>> epochs = new HashMap<>();
  // Samples read before any Hello of their epoch (its record was corrupt): kept until a later copy
  // of that Hello (the next segment repeats every host's) lets them be read, in order.
  private final Map<String, Map<Long, List<byte[]>>> orphans = new HashMap<>();
  private long orphanBytes;
  private final RawSnapshot raw = new RawSnapshot();
  private final SnapshotReader reader = new SnapshotReader();

  private static final long MAX_ORPHAN_BYTES = 64L << 20;
  private long failedOrphans;

  // Per host, the newest chunks of the blocks (enough to fill its history), until its first Hello
  // in the log creates it; the log's segments each start with every host's Hello.
  private record Pending(byte[] body, int samples) {}

  private final Map<String, ArrayDeque<Pending>> chunks = new HashMap<>();
  private final Map<String, long[]> chunkSamples = new HashMap<>();
  // Per host, the last sequence number of each epoch in the chunks that did not stay pending.
  private final Map<String, List<Long>> olderEpochs = new HashMap<>();
  private long fromBlocks;
  private long chunksUnclaimed;

  public StoreRecovery(HostRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void hello(String hostId, long timeMillis, String address, ByteBuffer hello) {
    Hello message;
    HostIdentity identity;
    try {
      message = Hello.parseFrom(hello);
      identity = FrameMapper.identity(message);
    } catch (InvalidProtocolBufferException | InvalidMessageException e) {
      throw new IllegalArgumentException("unreadable Hello of " + hostId + ": " + e.getMessage());
    }
    epochs
        .computeIfAbsent(hostId, id -> new HashMap<>(2))
        .put(identity.epoch(), new Epoch(identity, message.getTimeBaseMs()));
    if (registry.restoreHello(identity, address, Instant.ofEpochMilli(timeMillis))) {
      adoptChunks(hostId);
    }
    Map<Long, List<byte[]>> waiting = orphans.get(hostId);
    List<byte[]> adopted = waiting == null ? null : waiting.remove(identity.epoch());
    if (adopted != null) {
      for (byte[] snapshot : adopted) {
        orphanBytes -= snapshot.length;
        if (restore(hostId, epochs.get(hostId).get(identity.epoch()), ByteBuffer.wrap(snapshot))
            == Outcome.UNUSABLE) {
          failedOrphans++;
        }
      }
    }
  }

  @Override
  public void chunk(String hostId, int samples, ByteBuffer body) {
    byte[] copy = new byte[body.remaining()];
    body.duplicate().get(copy);
    ArrayDeque<Pending> kept = chunks.computeIfAbsent(hostId, id -> new ArrayDeque<>());
    long[] held = chunkSamples.computeIfAbsent(hostId, id -> new long[1]);
    kept.addLast(new Pending(copy, samples));
    held[0] += samples;
    // Older chunks than the history holds stay on disk only, but their epochs' last sequence
    // numbers still tell a replay of those epochs what is stored.
    while (held[0] - kept.peekFirst().samples() >= registry.historyCapacity()) {
      Pending old = kept.pollFirst();
      held[0] -= old.samples();
      List<Long> pairs = olderEpochs.computeIfAbsent(hostId, id -> new ArrayList<>(2));
      for (long value : HostRegistry.chunkEpochs(ByteBuffer.wrap(old.body()))) {
        pairs.add(value);
      }
      if (pairs.size() > 64) {
        pairs.subList(0, pairs.size() - 64).clear(); // the host keeps 16 earlier epochs anyway
      }
    }
  }

  @Override
  public void sealChunksTo(Store store) {
    registry.persistChunks(store::chunk);
  }

  private void adoptChunks(String hostId) {
    ArrayDeque<Pending> kept = chunks.remove(hostId);
    chunkSamples.remove(hostId);
    List<Long> older = olderEpochs.remove(hostId);
    if (kept == null) {
      return;
    }
    List<ByteBuffer> bodies = new ArrayList<>(kept.size());
    for (Pending pending : kept) {
      bodies.add(ByteBuffer.wrap(pending.body()));
    }
    try {
      fromBlocks +=
          registry.restoreChunks(
              hostId,
              bodies,
              older == null ? new long[0] : older.stream().mapToLong(Long::longValue).toArray());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unreadable chunk of " + hostId + ": " + e.getMessage());
    }
  }

  @Override
  public long samplesFromBlocks() {
    return fromBlocks;
  }

  @Override
  public Outcome sample(String hostId, long epoch, ByteBuffer snapshot) {
    Map<Long, Epoch> known = epochs.get(hostId);
    Epoch of = known == null ? null : known.get(epoch);
    if (of == null) {
      if (orphanBytes < MAX_ORPHAN_BYTES) {
        byte[] copy = new byte[snapshot.remaining()];
        snapshot.duplicate().get(copy);
        orphanBytes += copy.length;
        orphans
            .computeIfAbsent(hostId, id -> new HashMap<>(2))
            .computeIfAbsent(epoch, e -> new ArrayList<>())
            .add(copy);
        return Outcome.RESTORED; // for now; done() tells how many no Hello claimed
      }
      return Outcome.UNUSABLE;
    }
    return restore(hostId, of, snapshot);
  }

  private Outcome restore(String hostId, Epoch of, ByteBuffer snapshot) {
    ByteBuf bytes = Unpooled.wrappedBuffer(snapshot);
    try {
      if (!reader.read(bytes, bytes.readerIndex(), bytes.writerIndex(), raw)) {
        RawSnapshot.from(Snapshot.parseFrom(snapshot.duplicate()), raw);
      }
      return switch (registry.restoreSample(
          hostId, FrameMapper.sample(raw, of.identity(), of.timeBase()), raw.spoolDropped)) {
        case STORED -> Outcome.RESTORED;
        case ALREADY_STORED -> Outcome.ALREADY_STORED;
        case REFUSED -> Outcome.UNUSABLE;
      };
    } catch (InvalidProtocolBufferException | InvalidMessageException | RuntimeException e) {
      return Outcome.UNUSABLE;
    } finally {
      bytes.release();
    }
  }

  @Override
  public void link(String hostId, boolean left, long timeMillis) {
    registry.restoreLink(hostId, left, Instant.ofEpochMilli(timeMillis));
  }

  @Override
  public long done() {
    long unrestored = failedOrphans;
    for (Map<Long, List<byte[]>> byEpoch : orphans.values()) {
      for (List<byte[]> samples : byEpoch.values()) {
        unrestored += samples.size();
      }
    }
    orphans.clear();
    epochs.clear();
    for (long[] held : chunkSamples.values()) {
      chunksUnclaimed += held[0];
    }
    chunks.clear();
    chunkSamples.clear();
    olderEpochs.clear();
    return unrestored;
  }
}
