package io.vigia.agent.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * The device names a {@code /proc} parser has met, so that a name read again in the next round is
 * the same {@link String} instead of a new one per device per round.
 *
 * <p>Not thread-safe: one parser owns it.
 */
final class DeviceNames {

  /** Past this many names (devices come and go: containers' veths), start over. */
  private static final int LIMIT = 1024;

  private final List<String> names = new ArrayList<>();
  private int hint;

  /** The name spelled by the bytes {@code from..to} of {@code text}. */
  String name(ProcText text, int from, int to) {
    int size = names.size();
    // Devices come in the same order every round: try where the previous lookup ended first.
    for (int i = 0; i < size; i++) {
      int at = (hint + i) % size;
      String known = names.get(at);
      if (text.regionEquals(from, to, known)) {
        hint = at + 1;
        return known;
      }
    }
    if (size >= LIMIT) {
      names.clear();
    }
    String fresh = text.string(from, to);
    names.add(fresh);
    hint = names.size();
    return fresh;
  }
}
