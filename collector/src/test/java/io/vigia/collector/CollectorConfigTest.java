package io.vigia.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigia.collector.http.HttpLimits;
import io.vigia.collector.ingest.LinkGuards;
import io.vigia.collector.remotewrite.RemoteWriteSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CollectorConfigTest {

  @Test
  void theBuilderStartsFromTheDaemonsDefaults() {
    CollectorConfig config = CollectorConfig.builder().build();

    assertThat(config.listen().getPort()).isEqualTo(7070);
    assertThat(config.http().getPort()).isEqualTo(7071);
    assertThat(config.history()).isEqualTo(720);
    assertThat(config.guards()).isEqualTo(LinkGuards.DEFAULTS);
    assertThat(config.httpLimits()).isEqualTo(HttpLimits.DEFAULTS);
    assertThat(config.remoteWriteSettings()).isEqualTo(RemoteWriteSettings.NONE);
    assertThat(config.agentTls()).isNull();
  }

  @Test
  void theHeartbeatIsAThirdOfTheIdleTimeoutUnlessSet() {
    assertThat(
            CollectorConfig.builder().idleTimeout(Duration.ofSeconds(9)).build().heartbeatEvery())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(
            CollectorConfig.builder()
                .heartbeatEvery(Duration.ofMillis(500))
                .build()
                .ingestLimits()
                .heartbeatEvery())
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void aValueOutOfRangeIsRejectedNamingItsOption() {
    assertThatThrownBy(() -> CollectorConfig.builder().maxQuerySamples(86_401).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--max-query-samples must be within 1..86400, not 86401");
  }

  @Test
  void aReceiverThatIsNotAnHttpUrlIsRejectedNamingTheOption() {
    assertThatThrownBy(
            () ->
                CollectorConfig.builder()
                    .remoteWrite(List.of(URI.create("prometheus:9090")))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--remote-write: remote-write URL 'prometheus:9090'");
  }

  @Test
  void theTextNeverShowsTheTokens() {
    CollectorConfig config =
        CollectorConfig.builder().agentToken("fleet-s3cret").httpToken("h77p-s3cret").build();

    assertThat(config.toString()).doesNotContain("s3cret").contains("****");
  }
}
