package io.vigia.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigia.agent.Agent;
import io.vigia.agent.AgentConfig;
import io.vigia.proto.ApiAgent;
import io.vigia.proto.ApiSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The production agent, sampling this machine with OSHI, into a collector. */
class RealHostTest {

  private Fleet fleet;
  private ApiClient api;
  private Agent agent;

  @BeforeEach
  void start() {
    fleet = Fleet.withCollector();
    api = new ApiClient(fleet.apiUrl());
    agent =
        Agent.onThisHost(
            AgentConfig.builder()
                .collector(fleet.collector().ingestAddress())
                .interval(Duration.ofSeconds(1))
                .id("real")
                .build());
  }

  @AfterEach
  void stop() {
    agent.close();
    fleet.close();
  }

  @Test
  void reportsEveryCoreOfThisMachineWithPlausibleFigures() throws Exception {
    await().atMost(Duration.ofSeconds(15)).until(() -> samples().size() >= 2);

    ApiAgent real = api.agent("real");
    assertThat(real.getCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(real.getCpuPercent()).isBetween(0.0, 100.0);
    for (ApiSample sample : samples()) {
      assertThat(sample.getCorePercentList())
          .hasSize(real.getCores())
          .allSatisfy(percent -> assertThat(percent).isBetween(0.0, 100.0));
      double modes =
          sample.getUserPercent()
              + sample.getNicePercent()
              + sample.getSystemPercent()
              + sample.getIowaitPercent()
              + sample.getIrqPercent()
              + sample.getSoftirqPercent()
              + sample.getStealPercent()
              + sample.getIdlePercent();
      assertThat(modes).isBetween(99.0, 101.0);
      // The first sample covers a real interval, not the time since boot or nothing.
      assertThat(sample.getIntervalMs()).isBetween(500, 3000);
    }
  }

  @Test
  void reportsMemoryLoadFileSystemsDisksAndInterfacesOfThisMachine() throws Exception {
    await().atMost(Duration.ofSeconds(15)).until(() -> samples().size() >= 2);

    ApiAgent real = api.agent("real");
    long totalMemory =
        ((com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    assertThat(real.getMemory().getTotalBytes()).isEqualTo(totalMemory);
    assertThat(real.getMemory().getAvailableBytes()).isBetween(1L, totalMemory);
    assertThat(real.getSystem().getProcesses()).isPositive();
    assertThat(real.getFileSystemsList())
        .anySatisfy(fs -> assertThat(fs.getMount()).isEqualTo("/"));
    assertThat(real.getDisksList()).isNotEmpty();
    assertThat(real.getInterfacesList()).isNotEmpty();
    assertThat(real.getInterfacesList()).noneMatch(nic -> nic.getName().equals("lo"));
  }

  @Test
  void cpuFigureRisesWhileEveryCoreIsBusy() throws Exception {
    await().atMost(Duration.ofSeconds(15)).until(() -> samples().size() >= 1);
    AtomicBoolean spin = new AtomicBoolean(true);
    List<Thread> burners = new ArrayList<>();
    for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
      Thread burner =
          new Thread(
              () -> {
                long x = 0;
                while (spin.get()) {
                  x += System.nanoTime() % 7;
                }
                if (x == 42) {
                  System.out.print("");
                }
              },
              "burner-" + i);
      burner.setDaemon(true);
      burner.start();
      burners.add(burner);
    }
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> samples().stream().anyMatch(sample -> sample.getCpuPercent() >= 80));
    } finally {
      spin.set(false);
      for (Thread burner : burners) {
        burner.join();
      }
    }
  }

  private List<ApiSample> samples() throws Exception {
    return api.get("/api/v1/agents/real").statusCode() == 200 ? api.history("real") : List.of();
  }
}
