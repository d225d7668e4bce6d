package io.vigia.collector.ingest;

import io.vigia.collector.registry.CpuFigures;
import io.vigia.collector.registry.HostIdentity;
import io.vigia.collector.registry.StoredSample;
import io.vigia.proto.CpuSample;
import io.vigia.proto.Hello;
import io.vigia.proto.Snapshot;
import java.time.Instant;

/**
 * Checks incoming messages and turns them into the registry's records; the only place the collector
 * reads {@code Hello} and {@code Snapshot} protobufs.
 */
final class FrameMapper {

  static final int MAX_ID_LENGTH = 128;
  static final int MAX_TEXT_LENGTH = 256;
  static final int MAX_CORES = 4096;

  private FrameMapper() {}

  static HostIdentity identity(Hello hello) throws InvalidMessageException {
    String id = hello.getAgentId();
    if (id.isBlank()
        || id.length() > MAX_ID_LENGTH
        || id.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidMessageException(
          "agent id must be 1 to " + MAX_ID_LENGTH + " printable characters");
    }
    if (hello.getCores() < 1 || hello.getCores() > MAX_CORES) {
      throw new InvalidMessageException(
          "cores must be within 1.."
              + MAX_CORES
              + ", not "
              + Integer.toUnsignedString(hello.getCores()));
    }
    return new HostIdentity(
        id,
        text("hostname", hello.getHostname()),
        text("os", hello.getOs()),
        hello.getCores(),
        text("agent version", hello.getAgentVersion()),
        hello.getEpoch(),
        hello.getIntervalMs());
  }

  static StoredSample sample(Snapshot snapshot, HostIdentity identity)
      throws InvalidMessageException {
    if (snapshot.getSeq() < 1) {
      throw new InvalidMessageException("snapshot seq must start at 1");
    }
    if (!snapshot.hasCpu()) {
      throw new InvalidMessageException("snapshot " + snapshot.getSeq() + " has no CPU figures");
    }
    CpuSample cpu = snapshot.getCpu();
    if (cpu.getCoreBusyCount() != identity.cores()) {
      throw new InvalidMessageException(
          "snapshot "
              + snapshot.getSeq()
              + " has "
              + cpu.getCoreBusyCount()
              + " cores, the Hello said "
              + identity.cores());
    }
    int[] cores = new int[cpu.getCoreBusyCount()];
    for (int i = 0; i < cores.length; i++) {
      cores[i] = cpu.getCoreBusy(i);
    }
    try {
      return new StoredSample(
          identity.epoch(),
          snapshot.getSeq(),
          Instant.ofEpochMilli(snapshot.getTimeMs()),
          snapshot.getIntervalMs(),
          new CpuFigures(
              cpu.getBusy(),
              cores,
              cpu.getUser(),
              cpu.getNice(),
              cpu.getSystem(),
              cpu.getIowait(),
              cpu.getIrq(),
              cpu.getSoftirq(),
              cpu.getSteal(),
              cpu.getIdle()));
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("snapshot " + snapshot.getSeq() + ": " + e.getMessage());
    }
  }

  private static String text(String what, String value) throws InvalidMessageException {
    if (value.length() > MAX_TEXT_LENGTH) {
      throw new InvalidMessageException(
          what + " is longer than " + MAX_TEXT_LENGTH + " characters");
    }
    return value;
  }
}
