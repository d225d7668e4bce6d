package io.vigia.collector.store;

import java.util.Locale;

/** When the write-ahead log is forced to the device, and so what a power cut can take. */
public enum FsyncPolicy {
  /**
   * Group commit: the committer writes everything that arrived while the previous fsync ran, then
   * fsyncs once for all of it; acks wait for that fsync. Nothing acknowledged is lost, even on
   * power loss.
   */
  BATCH,
  /**
   * One fsync per record before the next is written; acks wait for it. Nothing acknowledged is lost
   * either, at a far higher cost per sample: for tests and for the doubtful.
   */
  ALWAYS,
  /**
   * Written to the kernel, never forced; acks leave once the write returns. A crash of the
   * collector loses nothing (the kernel holds the data), a power cut or a kernel crash loses what
   * the kernel had not written back yet (up to about 30 s on Linux's defaults).
   */
  NEVER;

  /**
   * The policy named {@code text} on the command line.
   *
   * @throws IllegalArgumentException naming the three choices
   */
  public static FsyncPolicy parse(String text) {
    for (FsyncPolicy policy : values()) {
      if (policy.flag().equals(text.strip().toLowerCase(Locale.ROOT))) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        "--fsync must be batch, always or never, not '" + text + "'");
  }

  /** The name on the command line: {@code batch}, {@code always}, {@code never}. */
  public String flag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
