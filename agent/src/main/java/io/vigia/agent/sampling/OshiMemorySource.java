package io.vigia.agent.sampling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import oshi.hardware.GlobalMemory;
import oshi.hardware.VirtualMemory;

/**
 * Reads memory and swap through OSHI, plus page cache and buffers from {@code /proc/meminfo} where
 * it exists (OSHI does not report them; other systems leave them unknown).
 */
public final class OshiMemorySource implements MemorySource {

  private static final Path MEMINFO = Path.of("/proc/meminfo");

  private final GlobalMemory memory;
  private final boolean hasMeminfo;

  public OshiMemorySource(GlobalMemory memory) {
    this.memory = memory;
    this.hasMeminfo = Files.isReadable(MEMINFO);
  }

  @Override
  public MemoryReading read() {
    VirtualMemory virtual = memory.getVirtualMemory();
    long cached = -1;
    long buffers = -1;
    if (hasMeminfo) {
      try {
        String meminfo = Files.readString(MEMINFO, StandardCharsets.US_ASCII);
        cached = meminfoBytes(meminfo, "Cached:");
        buffers = meminfoBytes(meminfo, "Buffers:");
      } catch (IOException e) {
        // Leave them unknown this round; the OSHI figures still go out.
      }
    }
    return new MemoryReading(
        memory.getTotal(),
        memory.getAvailable(),
        cached,
        buffers,
        virtual.getSwapTotal(),
        virtual.getSwapUsed(),
        virtual.getSwapPagesIn(),
        virtual.getSwapPagesOut());
  }

  /**
   * The value of one {@code /proc/meminfo} line ("Cached: 123456 kB") in bytes, or -1 if the key is
   * missing or unreadable.
   */
  static long meminfoBytes(String meminfo, String key) {
    int at = meminfo.startsWith(key) ? 0 : meminfo.indexOf("\n" + key);
    if (at < 0) {
      return -1;
    }
    int start = meminfo.indexOf(key, at) + key.length();
    int end = meminfo.indexOf('\n', start);
    String[] parts =
        meminfo.substring(start, end < 0 ? meminfo.length() : end).trim().split("\\s+");
    try {
      long value = Long.parseLong(parts[0]);
      return parts.length > 1 && parts[1].equals("kB") ? value * 1024 : value;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
