package io.vigia.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class TransportTest {

  @Test
  void linuxGetsTheNativeEpollTransport() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("aarch64")));
    // The native library ships in the jar for these two; if it stops loading (a packaging
    // mistake), every read and write silently falls back to the slower NIO path.
    assertEquals(Transport.EPOLL, Transport.best());
  }

  @Test
  void nioCanBeForcedWithASystemProperty() {
    String before = System.getProperty("vigia.transport");
    System.setProperty("vigia.transport", "nio");
    try {
      assertEquals(Transport.NIO, Transport.best());
    } finally {
      if (before == null) {
        System.clearProperty("vigia.transport");
      } else {
        System.setProperty("vigia.transport", before);
      }
    }
  }
}
