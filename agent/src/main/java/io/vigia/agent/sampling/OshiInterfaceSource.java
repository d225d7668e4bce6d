package io.vigia.agent.sampling;

import java.io.IOException;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;

/**
 * Reads the traffic counters of every network interface, loopback included, through OSHI. OSHI has
 * no transmit-drop counter; on Linux it comes from {@code /sys/class/net/NAME/statistics},
 * elsewhere it stays unknown. The list is taken afresh every round, so interfaces that appear or
 * vanish are noticed at once.
 */
public final class OshiInterfaceSource implements InterfaceSource {

  private static final Path SYS_NET = Path.of("/sys/class/net");

  private final HardwareAbstractionLayer hardware;

  public OshiInterfaceSource(HardwareAbstractionLayer hardware) {
    this.hardware = hardware;
  }

  @Override
  public List<InterfaceReading> interfaces() {
    List<NetworkIF> nics = hardware.getNetworkIFs(true);
    List<InterfaceReading> readings = new ArrayList<>(nics.size());
    for (NetworkIF nic : nics) {
      NetworkInterface java = nic.queryNetworkInterface();
      boolean loopback;
      try {
        loopback = java != null && java.isLoopback();
      } catch (IOException e) {
        loopback = nic.getName().equals("lo");
      }
      readings.add(
          new InterfaceReading(
              nic.getName(),
              nic.getIfOperStatus() == NetworkIF.IfOperStatus.UP || (loopback && isUp(java)),
              loopback,
              nic.getBytesRecv(),
              nic.getBytesSent(),
              nic.getPacketsRecv(),
              nic.getPacketsSent(),
              nic.getInErrors(),
              nic.getOutErrors(),
              nic.getInDrops(),
              txDropped(nic.getName())));
    }
    return readings;
  }

  // Linux reports loopback's operational state as UNKNOWN; its administrative state is what counts.
  private static boolean isUp(NetworkInterface java) {
    try {
      return java != null && java.isUp();
    } catch (IOException e) {
      return false;
    }
  }

  private static long txDropped(String name) {
    if (name.contains("/") || name.startsWith(".")) {
      return -1;
    }
    try {
      return Long.parseLong(
          Files.readString(
                  SYS_NET.resolve(name).resolve("statistics/tx_dropped"), StandardCharsets.US_ASCII)
              .strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
