package io.vigia.agent.sampling;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Chooses the mounts or interfaces to report, from include and exclude glob patterns: {@code *}
 * matches any run of characters ({@code /} included), {@code ?} exactly one.
 *
 * <ul>
 *   <li>A name matching an exclude pattern is skipped.
 *   <li>Else, when include patterns are given, a name is reported if and only if it matches one,
 *       even a pseudo file system or a loopback interface: naming it is asking for it.
 *   <li>Else everything is reported except what is hidden by default (pseudo file systems,
 *       loopback).
 * </ul>
 *
 * <pre>{@code
 * DeviceFilter.of(List.of("eth*", "lo"), List.of()).accepts("lo", true)   // true
 * DeviceFilter.of(List.of(), List.of("/snap/*")).accepts("/snap/core", false)  // false
 * }</pre>
 */
public final class DeviceFilter {

  /** Reports everything that is not hidden by default. */
  public static final DeviceFilter DEFAULT = new DeviceFilter(List.of(), List.of());

  private final List<Pattern> include;
  private final List<Pattern> exclude;

  private DeviceFilter(List<Pattern> include, List<Pattern> exclude) {
    this.include = include;
    this.exclude = exclude;
  }

  /**
   * @throws IllegalArgumentException if a pattern is blank
   */
  public static DeviceFilter of(List<String> include, List<String> exclude) {
    return new DeviceFilter(compile(include), compile(exclude));
  }

  /**
   * @param hiddenByDefault a pseudo file system or loopback interface
   */
  public boolean accepts(String name, boolean hiddenByDefault) {
    if (matchesAny(exclude, name)) {
      return false;
    }
    if (!include.isEmpty()) {
      return matchesAny(include, name);
    }
    return !hiddenByDefault;
  }

  private static boolean matchesAny(List<Pattern> patterns, String name) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  private static List<Pattern> compile(List<String> globs) {
    return globs.stream().map(DeviceFilter::glob).toList();
  }

  static Pattern glob(String glob) {
    if (glob.isBlank()) {
      throw new IllegalArgumentException("a pattern must not be blank");
    }
    StringBuilder regex = new StringBuilder();
    StringBuilder literal = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*' || c == '?') {
        if (literal.length() > 0) {
          regex.append(Pattern.quote(literal.toString()));
          literal.setLength(0);
        }
        regex.append(c == '*' ? ".*" : ".");
      } else {
        literal.append(c);
      }
    }
    if (literal.length() > 0) {
      regex.append(Pattern.quote(literal.toString()));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
