package io.vigia.collector.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The encoded history against the simplest model of what it must do, a bounded deque of the samples
 * appended: for random sequences of samples of every shape (CPU or not, each family or not, devices
 * coming, going, reordered, duplicated and relabelled, values that walk, jump, reset and hit the
 * extremes of {@code long}, epochs and sequences that restart or jump) and random capacities, every
 * read returns exactly what the model holds.
 */
class HistoryPropertyTest {

  private static final String[] MOUNTS = {"/", "/var", "/home", "/mnt/usb"};
  private static final String[] DISKS = {"vda", "vdb", "sdc"};
  private static final String[] NICS = {"eth0", "eth1", "veth12", "docker0"};

  @Property(tries = 300)
  void everyReadEqualsTheNewestSamplesAppended(
      @ForAll long seed,
      @ForAll @IntRange(min = 1, max = 150) int capacity,
      @ForAll @IntRange(min = 0, max = 400) int appends,
      @ForAll @IntRange(min = 0, max = 4) int cores) {
    SplittableRandom random = new SplittableRandom(seed);
    Samples samples = new Samples(random, cores);
    History history = new History(capacity, cores);
    ArrayDeque<StoredSample> model = new ArrayDeque<>();

    for (int i = 0; i < appends; i++) {
      StoredSample sample = samples.next();
      history.append(sample);
      model.addLast(sample);
      if (model.size() > capacity) {
        model.removeFirst();
      }

      assertThat(history.size()).isEqualTo(model.size());
      assertThat(history.latest()).contains(model.getLast());
      if (random.nextInt(8) == 0) {
        int n = random.nextInt(capacity + 3);
        assertThat(history.last(n)).isEqualTo(newest(model, n));
      }
    }

    assertThat(history.last(Integer.MAX_VALUE)).isEqualTo(new ArrayList<>(model));
    assertThat(history.last(capacity)).isEqualTo(new ArrayList<>(model));
  }

  private static List<StoredSample> newest(ArrayDeque<StoredSample> model, int n) {
    List<StoredSample> all = new ArrayList<>(model);
    return all.subList(Math.max(0, all.size() - n), all.size());
  }

  /** Random samples, each a variation of the one before. */
  private static final class Samples {
    private final SplittableRandom random;
    private final int cores;
    private long epoch;
    private long seq;
    private long time;
    private int interval = 5000;
    private final int[] cpu;
    private final long[] values = new long[64];
    private String[] fsLabels = {"/dev/vda1", "ext4"};

    Samples(SplittableRandom random, int cores) {
      this.random = random;
      this.cores = cores;
      this.cpu = new int[9 + cores];
      this.epoch = random.nextLong();
      this.time = random.nextLong(0, 4_000_000_000_000L);
    }

    private boolean chance(int percent) {
      return random.nextInt(100) < percent;
    }

    StoredSample next() {
      if (chance(3)) {
        epoch = chance(50) ? random.nextLong() : epoch + 1; // an agent restart
        seq = 0;
      }
      seq = chance(5) ? 1 + random.nextLong(Long.MAX_VALUE - 1) : seq + 1;
      if (chance(3)) {
        time = chance(50) ? random.nextLong() : -time / 2; // clock jumps, even backwards
      } else {
        time += 5000 + random.nextInt(-40, 41);
      }
      if (chance(3)) {
        interval = random.nextInt(Integer.MAX_VALUE);
      }
      return new StoredSample(
          epoch, seq, Instant.ofEpochMilli(time), interval, chance(15) ? null : cpu(), families());
    }

    private CpuFigures cpu() {
      for (int i = 0; i < cpu.length; i++) {
        cpu[i] =
            chance(70)
                ? Math.max(0, Math.min(1000, cpu[i] + random.nextInt(-30, 31)))
                : chance(50) ? random.nextInt(1001) : (chance(50) ? 0 : 1000);
      }
      int[] perCore = new int[cores];
      System.arraycopy(cpu, 9, perCore, 0, cores);
      return new CpuFigures(
          cpu[0], perCore, cpu[1], cpu[2], cpu[3], cpu[4], cpu[5], cpu[6], cpu[7], cpu[8]);
    }

    /** A value of column {@code i}: usually near its last, sometimes anything at all. */
    private long value(int i) {
      long v = values[i];
      int r = random.nextInt(100);
      if (r < 40) {
        v += random.nextInt(-50, 51);
      } else if (r < 60) {
        v += random.nextLong(-(1L << 40), 1L << 40);
      } else if (r < 70) {
        v = 0;
      } else if (r < 75) {
        v = Long.MAX_VALUE;
      } else if (r < 80) {
        v = Long.MIN_VALUE;
      } else if (r < 85) {
        v = -1;
      } else if (r < 95) {
        v = random.nextLong();
      }
      values[i] = v;
      return v;
    }

    private long size(int i) {
      long v = value(i);
      return v == Long.MIN_VALUE ? 0 : Math.abs(v);
    }

    private Families families() {
      if (chance(10)) {
        return Families.NONE;
      }
      MemoryFigures memory = null;
      if (chance(80)) {
        long total = size(0);
        long available = total == 0 ? 0 : random.nextLong(total) + (chance(5) ? 1 : 0);
        memory =
            new MemoryFigures(
                total, available, value(1), value(2), size(3), size(4), value(5), value(6));
      }
      SystemFigures system = null;
      if (chance(80)) {
        system =
            new SystemFigures(
                (int) value(7),
                (int) value(8),
                (int) value(9),
                value(10),
                (int) value(11),
                (int) value(12),
                value(13),
                value(14));
      }
      if (chance(3)) {
        fsLabels = new String[] {"/dev/sd" + random.nextInt(3), chance(50) ? "xfs" : "ext4"};
      }
      List<FileSystemFigures> fs = new ArrayList<>();
      for (String mount : devices(MOUNTS)) {
        int c = 15 + 5 * index(MOUNTS, mount);
        fs.add(
            new FileSystemFigures(
                mount,
                fsLabels[0],
                fsLabels[1],
                value(c),
                value(c + 1),
                value(c + 2),
                value(c + 3),
                value(c + 4)));
      }
      List<DiskFigures> disks = new ArrayList<>();
      for (String name : devices(DISKS)) {
        int c = 35 + 4 * index(DISKS, name);
        disks.add(
            new DiskFigures(
                name, value(c), value(c + 1), value(c + 2), value(c + 3), (int) value(c)));
      }
      List<InterfaceFigures> nics = new ArrayList<>();
      for (String name : devices(NICS)) {
        int c = 47 + 4 * index(NICS, name);
        nics.add(
            new InterfaceFigures(
                name,
                chance(90),
                value(c),
                value(c + 1),
                value(c + 2),
                value(c + 3),
                value(c),
                value(c + 1),
                value(c + 2),
                value(c + 3)));
      }
      return new Families(memory, system, fs, disks, nics);
    }

    /** Most of the time the same devices as before; sometimes some missing, reordered, twice. */
    private List<String> devices(String[] names) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < names.length; i++) {
        if (i < 2 ? !chance(5) : chance(30)) {
          out.add(names[i]);
        }
      }
      if (chance(3)) {
        Collections.reverse(out);
      }
      if (chance(3) && !out.isEmpty()) {
        out.add(out.get(0));
      }
      return out;
    }

    private static int index(String[] names, String name) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(name)) {
          return i;
        }
      }
      throw new IllegalArgumentException(name);
    }
  }
}
