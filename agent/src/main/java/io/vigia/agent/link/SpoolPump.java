package io.vigia.agent.link;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.concurrent.Promise;
import io.vigia.agent.sampling.Sample;
import io.vigia.codec.Protocol;
import io.vigia.proto.Hello;
import io.vigia.proto.Welcome;
import java.util.concurrent.TimeUnit;

/**
 * Moves snapshots from the {@link Spool} to the collector. Every sample is spooled; after a
 * Welcome, what the collector lacks goes out oldest first, then each new sample as it comes, as
 * fast as the socket takes them and the collector's announced rate ({@link Pace}) allows. Acks
 * empty the spool.
 *
 * <p>Time is that of the channel's event loop: it paces by the loop's ticker and schedules the
 * resumption of a paced replay on the loop, so a test drives both with {@code EmbeddedChannel}'s
 * virtual time.
 *
 * <p>Not thread-safe: confined to the link's event loop.
 */
final class SpoolPump {

  private final Spool spool;
  private final Hello hello;
  private Channel channel;
  private long sentUpTo;
  private Pace pace = Pace.UNLIMITED;
  private boolean resumeScheduled;
  // The last Welcome's protocol allows compact snapshots: new samples are written compact, and
  // a compact link takes compact spooled ones as they are.
  private boolean compact;
  private Promise<Void> emptied;

  /**
   * @param hello this run's Hello: its time base is the origin of compact sample times
   */
  SpoolPump(Spool spool, Hello hello) {
    this.spool = spool;
    this.hello = hello;
  }

  /** Spools a sample, in the form the last collector understands, and sends it if it may. */
  void offer(Sample sample) {
    // The snapshot carries the drop count including the drops its own arrival causes, so the
    // collector's figure is exact: make room first, then encode again.
    Hello compactFor = compact ? hello : null;
    byte[] frame = FrameMapper.snapshot(sample, spool.dropped(), compactFor).toByteArray();
    while (spool.makeRoom(frame.length)) {
      frame = FrameMapper.snapshot(sample, spool.dropped(), compactFor).toByteArray();
    }
    spool.add(sample.seq(), frame, compact);
    pump();
  }

  /**
   * The collector on {@code channel} welcomed the link: sends it what comes after the sequence it
   * already stores, within the rate it announced.
   */
  void welcomed(Channel channel, Welcome welcome) {
    acknowledged(welcome.getLastStoredSeq());
    pace = Pace.of(welcome, channel.eventLoop().ticker().nanoTime());
    compact = welcome.getProtocolVersion() >= Protocol.COMPACT_VERSION;
    this.channel = channel;
    sentUpTo = welcome.getLastStoredSeq();
    pump();
  }

  /** The collector stores everything up to and including {@code seq}. */
  void acknowledged(long seq) {
    spool.acknowledge(seq);
    if (emptied != null && spool.size() == 0) {
      emptied.trySuccess(null);
    }
  }

  /** {@code channel} can take more bytes again. */
  void writable(Channel channel) {
    if (channel == this.channel) {
      pump();
    }
  }

  /** The link is gone: sending stops until the next Welcome, and the spool keeps what it holds. */
  void lost() {
    channel = null;
    if (emptied != null) {
      emptied.trySuccess(null);
    }
  }

  /**
   * Completes {@code promise} once the collector has acknowledged everything spooled, or the link
   * is lost, whichever comes first; at once if the spool is empty.
   */
  void whenEmptied(Promise<Void> promise) {
    emptied = promise;
    if (spool.size() == 0) {
      promise.trySuccess(null);
    }
  }

  Spool spool() {
    return spool;
  }

  /** The Hello of the run whose samples this pump sends. */
  Hello hello() {
    return hello;
  }

  /** The welcomed link snapshots go out on, or null while there is none. */
  Channel channel() {
    return channel;
  }

  /** Snapshots spooled and not yet acknowledged. */
  int waiting() {
    return spool.size();
  }

  /** Snapshots dropped because the spool was full, since the agent started. */
  long dropped() {
    return spool.dropped();
  }

  /**
   * Writes the spooled snapshots the collector has not been sent on this link, oldest first, until
   * the socket's buffer is full ({@link #writable} resumes) or the pace says wait (a timer
   * resumes).
   */
  private void pump() {
    Channel channel = this.channel;
    if (channel == null) {
      return;
    }
    boolean wrote = false;
    long now = channel.eventLoop().ticker().nanoTime();
    while (channel.isWritable()) {
      long next = spool.after(sentUpTo);
      byte[] frame = next == 0 ? null : spool.get(next);
      if (frame == null) {
        if (next != 0 && spool.after(sentUpTo) != next) {
          continue; // unreadable on disk: the spool dropped and counted it
        }
        break;
      }
      if (!pace.take(now)) {
        resumeAfter(pace.nanosUntilNext(now), channel);
        break;
      }
      if (!compact && spool.compact(next)) {
        // Spooled under a newer collector, replayed to an older one.
        frame = FrameMapper.classic(frame, hello);
      }
      channel.write(Unpooled.wrappedBuffer(frame), channel.voidPromise());
      sentUpTo = next;
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
  }

  /** Over the collector's rate: comes back when the next snapshot may go. */
  private void resumeAfter(long nanos, Channel channel) {
    if (resumeScheduled) {
      return;
    }
    resumeScheduled = true;
    channel
        .eventLoop()
        .schedule(
            () -> {
              resumeScheduled = false;
              pump();
            },
            nanos,
            TimeUnit.NANOSECONDS);
  }
}
