package io.vigia.codec;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Turns SIGTERM and SIGINT into a normal return, so that a daemon stopped by systemd or Ctrl-C
 * closes cleanly and exits with code 0 (with a JVM shutdown hook it would exit 143). Both daemons'
 * commands use it:
 *
 * <pre>{@code
 * StopSignal stop = StopSignal.install();
 * Agent agent = Agent.onThisHost(config);
 * try {
 *   stop.await();
 * } finally {
 *   agent.close();
 * }
 * return 0;
 * }</pre>
 *
 * <p>It needs {@code sun.misc.Signal} (module jdk.unsupported, in every JDK since 9): the only way
 * to handle a signal without terminating the JVM. javac warns about it here, and only here.
 */
public final class StopSignal {

  private final CountDownLatch stop = new CountDownLatch(1);

  private StopSignal() {}

  /** Handles TERM and INT from now on. */
  public static StopSignal install() {
    StopSignal signal = new StopSignal();
    Signal.handle(new Signal("TERM"), s -> signal.stop.countDown());
    Signal.handle(new Signal("INT"), s -> signal.stop.countDown());
    return signal;
  }

  /**
   * Runs {@code reload} on every SIGHUP from now on (what {@code systemctl reload} sends), on the
   * JVM's signal thread; it must not block for long.
   */
  public static void onHangup(Runnable reload) {
    Signal.handle(new Signal("HUP"), s -> reload.run());
  }

  /** Blocks until SIGTERM or SIGINT arrives. */
  public void await() throws InterruptedException {
    stop.await();
  }
}
