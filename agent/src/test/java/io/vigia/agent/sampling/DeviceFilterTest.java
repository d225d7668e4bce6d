package io.vigia.agent.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceFilterTest {

  @Test
  void byDefaultEverythingButWhatIsHiddenByDefaultIsReported() {
    assertThat(DeviceFilter.DEFAULT.accepts("eth0", false)).isTrue();
    assertThat(DeviceFilter.DEFAULT.accepts("lo", true)).isFalse();
  }

  @Test
  void anIncludePatternThatNamesAHiddenDeviceAsksForIt() {
    DeviceFilter filter = DeviceFilter.of(List.of("eth*", "lo"), List.of());
    assertThat(filter.accepts("lo", true)).isTrue();
    assertThat(filter.accepts("eth1", false)).isTrue();
    assertThat(filter.accepts("wlan0", false)).isFalse();
  }

  @Test
  void excludesWinOverIncludes() {
    DeviceFilter filter = DeviceFilter.of(List.of("*"), List.of("veth*"));
    assertThat(filter.accepts("veth3a1f", false)).isFalse();
    assertThat(filter.accepts("lo", true)).isTrue();
  }

  @Test
  void starMatchesSlashesAndQuestionMarkOneCharacter() {
    DeviceFilter filter = DeviceFilter.of(List.of(), List.of("/snap/*", "/mnt/disk?"));
    assertThat(filter.accepts("/snap/core/123", false)).isFalse();
    assertThat(filter.accepts("/mnt/disk1", false)).isFalse();
    assertThat(filter.accepts("/mnt/disk12", false)).isTrue();
    assertThat(filter.accepts("/", false)).isTrue();
  }

  @Test
  void regexCharactersInAPatternAreLiteral() {
    DeviceFilter filter = DeviceFilter.of(List.of("/data(1).x"), List.of());
    assertThat(filter.accepts("/data(1).x", false)).isTrue();
    assertThat(filter.accepts("/data1Ax", false)).isFalse();
  }

  @Test
  void aBlankPatternIsRefused() {
    assertThatThrownBy(() -> DeviceFilter.of(List.of(" "), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
  }
}
