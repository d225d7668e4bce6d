package io.vigia.agent.link;

import io.vigia.agent.sampling.CpuUsage;
import io.vigia.agent.sampling.Sample;
import java.time.Duration;
import java.time.Instant;

/** The samples the link's tests send: a 2-core CPU reading a second apart from {@link #T0}. */
final class LinkFixtures {

  static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
  static final CpuUsage USAGE =
      new CpuUsage(
          375,
          new int[] {500, 250},
          new int[] {201, 3, 150, 520, 100, 11, 9, 6},
          Duration.ofMillis(1002));

  private LinkFixtures() {}

  /** Sample {@code seq}, taken 3 ms after its second. */
  static Sample sample(long seq) {
    return new Sample(seq, T0.plusMillis(seq * 1000 + 3), Duration.ofSeconds(1), USAGE);
  }
}
