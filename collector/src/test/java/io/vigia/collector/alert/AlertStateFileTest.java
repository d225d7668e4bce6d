package io.vigia.collector.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertStateFileTest {

  @TempDir Path dir;

  @Test
  void alertsComeBackAsTheyWereWritten() throws Exception {
    Alert firing =
        new Alert(
            "HostFilesystemAlmostFull",
            Map.of(
                "alertname", "HostFilesystemAlmostFull", "host", "db 1", "mount", "/var/lib&x=y"),
            Map.of("summary", "db 1: /var 93% full\tnow"),
            AlertState.FIRING,
            Instant.ofEpochMilli(1_764_855_000_000L),
            Instant.ofEpochMilli(1_764_855_060_000L),
            null,
            0.93);
    Alert pending =
        new Alert(
            "HostLost",
            Map.of("host", "web"),
            Map.of(),
            AlertState.PENDING,
            Instant.ofEpochMilli(5),
            null,
            null,
            0);
    Path file = dir.resolve(AlertStateFile.NAME);
    AlertStateFile.write(file, List.of(firing, pending));
    assertThat(AlertStateFile.read(file)).containsExactly(firing, pending);
    assertThat(dir.resolve(AlertStateFile.NAME + ".tmp")).doesNotExist();
  }

  @Test
  void noFileIsNoAlerts() throws Exception {
    assertThat(AlertStateFile.read(dir.resolve("none"))).isEmpty();
  }

  @Test
  void aFileOfFormatOneAsDocumentedIsRead() throws Exception {
    Path file = dir.resolve(AlertStateFile.NAME);
    Files.writeString(
        file,
        "vigia-alert-states 1\n"
            + "HostCpuSaturated\tFIRING\t1764855000000\t1764855300000\t-\t0.97\t"
            + "alertname=HostCpuSaturated&host=web-1&hostname=web-1&severity=warning\t"
            + "summary=web-1%3A+CPU+97%25+busy\n");
    Alert alert = AlertStateFile.read(file).get(0);
    assertThat(alert.state()).isEqualTo(AlertState.FIRING);
    assertThat(alert.firedAt()).isEqualTo(Instant.ofEpochMilli(1764855300000L));
    assertThat(alert.resolvedAt()).isNull();
    assertThat(alert.summary()).isEqualTo("web-1: CPU 97% busy");
  }

  @Test
  void aNewerFormatIsRefusedWithWhatToDo() throws Exception {
    Path file = dir.resolve(AlertStateFile.NAME);
    Files.writeString(file, "vigia-alert-states 2\nwhatever\n");
    assertThatThrownBy(() -> AlertStateFile.read(file))
        .isInstanceOf(AlertStatesException.class)
        .hasMessageContaining("is of format 2, written by a newer Vigia")
        .hasMessageContaining("move the file away");
  }

  @Test
  void aDamagedLineIsNamed() throws Exception {
    Path file = dir.resolve(AlertStateFile.NAME);
    Files.writeString(file, "vigia-alert-states 1\nHostLost\tFIRING\n");
    assertThatThrownBy(() -> AlertStateFile.read(file))
        .isInstanceOf(AlertStatesException.class)
        .hasMessageContaining("line 2: 8 fields expected, 2 found");
  }
}
