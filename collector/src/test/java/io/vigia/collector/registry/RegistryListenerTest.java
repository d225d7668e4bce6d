package io.vigia.collector.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryListenerTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  private final HostRegistry registry = new HostRegistry(10, new ManualClock(T0));
  private final List<String> heard = new ArrayList<>();

  private final RegistryListener recorder =
      new RegistryListener() {
        @Override
        public void sampleStored(String hostId, StoredSample sample) {
          heard.add(hostId + " sample " + sample.seq());
        }

        @Override
        public void stateChanged(HostView host) {
          heard.add(host.id() + " " + host.state());
        }
      };

  private static HostIdentity identity(String id) {
    return new HostIdentity(id, id, "Linux", 1, "0.1.0", 7, 1000);
  }

  private static StoredSample sample(long seq) {
    return new StoredSample(
        7, seq, T0, 1000, new CpuFigures(100, new int[] {100}, 0, 0, 0, 0, 0, 0, 0, 900));
  }

  @Test
  void hearsStoredSamplesAndStateChangesInOrderButNotDuplicates() {
    registry.addListener(recorder);
    registry.connect(1, identity("a"), "x:1");
    registry.append(1, "a", sample(1));
    registry.append(1, "a", sample(1));
    registry.append(1, "a", sample(2));
    registry.disconnect(1, "a", false);

    assertThat(heard).containsExactly("a CONNECTED", "a sample 1", "a sample 2", "a LOST");
  }

  @Test
  void aLinkThatWasReplacedChangesNothingToHear() {
    registry.connect(1, identity("a"), "x:1");
    registry.connect(2, identity("a"), "x:2");
    registry.addListener(recorder);

    registry.disconnect(1, "a", false);
    registry.append(1, "a", sample(1));

    assertThat(heard).isEmpty();
  }

  @Test
  void aFailingListenerIsCountedAndTheSampleStillStored() {
    registry.addListener(
        new RegistryListener() {
          @Override
          public void sampleStored(String hostId, StoredSample sample) {
            throw new IllegalStateException("boom");
          }

          @Override
          public void stateChanged(HostView host) {}
        });
    registry.addListener(recorder);
    registry.connect(1, identity("a"), "x:1");

    assertThat(registry.append(1, "a", sample(1))).isTrue();
    assertThat(registry.listenerFailures()).isEqualTo(1);
    assertThat(heard).containsExactly("a CONNECTED", "a sample 1");
    assertThat(registry.history("a", 10).orElseThrow()).hasSize(1);
  }
}
