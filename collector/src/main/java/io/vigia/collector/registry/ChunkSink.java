package io.vigia.collector.registry;

/**
 * Where the registry hands each chunk of a host's history as it is sealed, encoded (see {@link
 * ChunkCodec}), so that a store can keep it on disk and let its log go. Called while the host's
 * lock is held, in the order the host's samples were stored: it must not block.
 */
@FunctionalInterface
public interface ChunkSink {

  /** Chunks are not kept anywhere (a collector in memory). */
  ChunkSink NONE = (hostId, samples, minTimeMillis, maxTimeMillis, body) -> {};

  /**
   * @param samples how many samples the chunk holds
   * @param minTimeMillis the earliest sample time in it
   * @param maxTimeMillis the latest sample time in it
   * @param body the chunk's bytes, owned by the sink from now on
   */
  void sealed(String hostId, int samples, long minTimeMillis, long maxTimeMillis, byte[] body);
}
