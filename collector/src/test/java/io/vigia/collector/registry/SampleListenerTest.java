package io.vigia.collector.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleListenerTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private static StoredSample sample(long seq) {
    return new StoredSample(
        10,
        seq,
        T0.plusSeconds(seq),
        1000,
        new CpuFigures(500, new int[] {500}, 400, 0, 100, 0, 0, 0, 0, 500));
  }

  @Test
  void aListenerHearsEachStoredSampleOnceAndNoReplay() {
    HostRegistry registry = new HostRegistry(100, new ManualClock(T0));
    List<String> heard = new ArrayList<>();
    registry.addListener((host, sample) -> heard.add(host + "#" + sample.seq()));
    registry.connect(1, new HostIdentity("web-1", "web-1", "Linux", 1, "0.1.0", 10, 1000), "a:1");

    registry.append(1, "web-1", sample(1));
    registry.append(1, "web-1", sample(2));
    registry.append(1, "web-1", sample(2)); // a replay: not stored again
    registry.append(1, "nobody", sample(3)); // unknown host: not stored
    registry.append(99, "web-1", sample(3)); // not the current link: not stored

    assertThat(heard).containsExactly("web-1#1", "web-1#2");
  }
}
