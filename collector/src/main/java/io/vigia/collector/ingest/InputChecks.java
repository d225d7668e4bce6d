package io.vigia.collector.ingest;

import io.vigia.collector.registry.HostIdentity;
import io.vigia.proto.Hello;
import io.vigia.proto.SampleRefusal;
import java.time.Duration;
import java.time.InstantSource;

/**
 * Whether the values of a link's {@code Hello} and snapshots are sane, and what to do when one is
 * not (the rules of the README's "Protocol" section):
 *
 * <ul>
 *   <li>A {@code Hello} without an epoch (0), or with an interval of 0 or over a day, refuses the
 *       link: the agent must be fixed, and nothing it sends could be stored right.
 *   <li>A snapshot taken in the future (beyond {@link InputRules#maxClockSkew}), older than any
 *       spool replays ({@link InputRules#maxSampleAge} plus the skew), or covering an interval of 0
 *       or longer than that age, is refused alone: acknowledged as refused, so the agent drops it
 *       from its spool instead of sending it again on every link, and counted.
 *   <li>A sequence number that runs ahead of time refuses the link: an agent takes one sample per
 *       interval, so from the link's last stored sample it advances at most by the sample time
 *       elapsed plus a full spool ({@code maxSampleAge}) divided by the interval, and never beyond
 *       the intervals since 1970. Acknowledging such a number would also acknowledge everything the
 *       agent holds below it.
 * </ul>
 *
 * <p>Not thread-safe: one instance per link, used on its event loop.
 */
final class InputChecks {

  /** A snapshot that is not stored: alone ({@code closeLink} false) or with its link. */
  record Refusal(SampleRefusal reason, boolean closeLink, String message) {}

  private final InputRules rules;
  private final InstantSource clock;
  // The link's last stored sample; seq 0: none yet.
  private long lastSeq;
  private long lastTimeMillis;

  InputChecks(InputRules rules, InstantSource clock) {
    this.rules = rules;
    this.clock = clock;
  }

  /** What makes {@code hello} unacceptable, in words for the agent's log; null if nothing. */
  static String hello(Hello hello) {
    if (hello.getEpoch() == 0) {
      return "the Hello carries no epoch (0); an agent picks a new non-zero one at each start,"
          + " or its runs could not be told apart";
    }
    long interval = Integer.toUnsignedLong(hello.getIntervalMs());
    if (interval == 0 || interval > InputRules.MAX_INTERVAL.toMillis()) {
      return "the Hello's sampling interval is "
          + interval
          + " ms; it must be within 1 ms and "
          + InputRules.MAX_INTERVAL.toHours()
          + " hours";
    }
    return null;
  }

  /**
   * Checks the timing of snapshot {@code raw} of {@code identity}'s run.
   *
   * @param timeBaseMillis the Hello's origin of compact times (0: none)
   * @return null if it may be stored, else why not
   */
  Refusal sample(RawSnapshot raw, HostIdentity identity, long timeBaseMillis) {
    long seq = raw.seq;
    if (seq < 1) {
      return null; // the mapping refuses it, with the link
    }
    long helloInterval = Integer.toUnsignedLong(identity.intervalMillis());
    long time;
    long interval;
    if (raw.compactTime) {
      if (timeBaseMillis == 0) {
        return null; // the mapping refuses it, with the link
      }
      try {
        time =
            Math.addExact(
                Math.addExact(timeBaseMillis, Math.multiplyExact(seq, helloInterval)),
                raw.timeSkewMs);
      } catch (ArithmeticException e) {
        return new Refusal(
            SampleRefusal.TIME_TOO_OLD,
            false,
            "snapshot " + seq + " has a time skew of " + raw.timeSkewMs + " ms, beyond any date");
      }
      interval = helloInterval + raw.intervalSkewMs;
    } else {
      time = raw.timeMs;
      interval = Integer.toUnsignedLong(raw.intervalMs);
    }
    long now = clock.millis();
    long skew = rules.maxClockSkew().toMillis();
    if (time > now + skew) {
      return new Refusal(
          SampleRefusal.TIME_IN_FUTURE,
          false,
          "snapshot "
              + seq
              + " was taken "
              + ago(time - now)
              + " after the collector's time; check the agent's clock (NTP), at most "
              + ago(skew)
              + " apart are accepted (--max-clock-skew)");
    }
    long maxPast = rules.maxPastMillis();
    if (time < 0 || now - time > maxPast) {
      return new Refusal(
          SampleRefusal.TIME_TOO_OLD,
          false,
          "snapshot "
              + seq
              + (time < 0 ? " is dated before 1970" : " was taken " + ago(now - time) + " ago")
              + "; this collector accepts samples up to "
              + ago(maxPast)
              + " old (--max-sample-age plus --max-clock-skew)");
    }
    if (interval < 1 || interval > maxPast) {
      return new Refusal(
          SampleRefusal.BAD_INTERVAL,
          false,
          "snapshot "
              + seq
              + " covers an interval of "
              + interval
              + " ms; it must be at least 1 ms and at most "
              + ago(maxPast));
    }
    // Fewer intervals than have passed since 1970: one sample per interval at most.
    long reach = time / helloInterval + 1;
    if (lastSeq > 0) {
      long elapsed = Math.max(0, time - lastTimeMillis);
      reach =
          Math.min(reach, lastSeq + (elapsed + rules.maxSampleAge().toMillis()) / helloInterval);
    }
    if (seq > reach) {
      return new Refusal(
          SampleRefusal.SAMPLE_REFUSAL_UNSPECIFIED,
          true,
          "snapshot "
              + seq
              + (lastSeq > 0 ? " follows snapshot " + lastSeq : "")
              + ": more samples than its interval of "
              + helloInterval
              + " ms allows by its time; sequence numbers count one per sample from 1");
    }
    return null;
  }

  /** The snapshot was stored (or was a replay of a stored one). */
  void stored(long seq, long timeMillis) {
    if (seq > lastSeq) {
      lastSeq = seq;
      lastTimeMillis = timeMillis;
    }
  }

  /** A span for a person: "3 days 2 h", "5 min", "250 ms". */
  static String ago(long millis) {
    Duration d = Duration.ofMillis(millis);
    if (millis < 1000) {
      return millis + " ms";
    }
    if (millis < 120_000) {
      return d.toSeconds() + " s";
    }
    if (millis < 7_200_000) {
      return d.toMinutes() + " min";
    }
    if (millis < 172_800_000) {
      return d.toHours() + " h";
    }
    return d.toDays() + " days";
  }
}
