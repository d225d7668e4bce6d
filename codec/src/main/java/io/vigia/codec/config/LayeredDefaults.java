package io.vigia.codec.config;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Where a daemon's options come from when they are not on the command line: first the environment
 * ({@code VIGIA_} and the option's name, {@code --idle-timeout} as {@code VIGIA_IDLE_TIMEOUT}),
 * then the configuration file ({@code --config FILE}, else {@code VIGIA_CONFIG}, else the daemon's
 * file in {@code /etc/vigia/} if there is one), then the option's own default. So flags win over
 * the environment, which wins over the file, which wins over the defaults.
 *
 * <pre>{@code
 * CommandLine cli = new CommandLine(new AgentCommand());
 * LayeredDefaults.install(cli, Path.of("/etc/vigia/agent.conf"), Map.of("id", "VIGIA_AGENT_ID"));
 * }</pre>
 *
 * <p>A bad value names where it came from: a usage error about an option set by the environment or
 * the file ends with, say, {@code (from interval=abc in /etc/vigia/agent.conf line 3)}.
 */
public final class LayeredDefaults implements IDefaultValueProvider {

  /** Options about the configuration itself, never read from a file. */
  private static final Set<String> NOT_CONFIGURABLE = Set.of("config", "print-config");

  private static final String MASK = "********";

  private final CommandSpec spec;
  private final Path defaultFile;
  private final Map<String, String> environment;
  private final Map<String, String> envNames;
  private final Map<String, String> origins = new HashMap<>();
  private Path explicitFile;
  private ConfigFile file;
  private boolean loaded;

  private LayeredDefaults(
      CommandSpec spec,
      Path defaultFile,
      Map<String, String> environment,
      Map<String, String> envNames) {
    this.spec = spec;
    this.defaultFile = defaultFile;
    this.environment = Map.copyOf(environment);
    this.envNames = Map.copyOf(envNames);
  }

  /**
   * Makes {@code cli} take its missing options from the environment and the configuration file.
   *
   * @param defaultFile read when it exists and no other file is named
   * @param envNames environment variables of options not named {@code VIGIA_<OPTION>}, by key
   */
  public static LayeredDefaults install(
      CommandLine cli, Path defaultFile, Map<String, String> envNames) {
    return install(cli, defaultFile, System.getenv(), envNames);
  }

  static LayeredDefaults install(
      CommandLine cli,
      Path defaultFile,
      Map<String, String> environment,
      Map<String, String> envNames) {
    LayeredDefaults defaults =
        new LayeredDefaults(cli.getCommandSpec(), defaultFile, environment, envNames);
    cli.setDefaultValueProvider(defaults);
    CommandLine.IParameterExceptionHandler standard = cli.getParameterExceptionHandler();
    cli.setParameterExceptionHandler(
        (ex, args) -> standard.handleParseException(defaults.withOrigin(ex), args));
    return defaults;
  }

  /** The defaults installed on the command of {@code spec}. */
  public static LayeredDefaults of(CommandSpec spec) {
    return (LayeredDefaults) Objects.requireNonNull(spec.defaultValueProvider(), "not installed");
  }

  /** The file named by {@code --config}; it must exist. */
  void useFile(Path path) {
    explicitFile = path;
    loaded = false;
  }

  /** The configuration file in force, if any. */
  public String fileName() {
    ConfigFile config = file();
    return config == null ? "no file" : config.path().toString();
  }

  /** The key of an option in files and messages: its long name without dashes. */
  static String key(OptionSpec option) {
    return option.longestName().replaceFirst("^-+", "");
  }

  private String envName(String key) {
    return envNames.getOrDefault(key, "VIGIA_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  private static boolean configurable(OptionSpec option) {
    return !option.usageHelp() && !option.versionHelp() && !NOT_CONFIGURABLE.contains(key(option));
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || !configurable(option)) {
      return null;
    }
    String key = key(option);
    String env = envName(key);
    String fromEnv = environment.get(env);
    if (fromEnv != null) {
      origins.put(key, "environment " + env + "=" + shown(option, fromEnv));
      return fromEnv;
    }
    ConfigFile config = file();
    if (config != null && config.values().containsKey(key)) {
      ConfigFile.Entry entry = config.values().get(key);
      origins.put(
          key,
          key
              + "="
              + shown(option, entry.value())
              + " in "
              + config.path()
              + " line "
              + entry.line());
      return entry.value();
    }
    return null;
  }

  private ConfigFile file() {
    if (loaded) {
      return file;
    }
    loaded = true;
    Path path = explicitFile;
    String what = "--config";
    if (path == null && environment.get("VIGIA_CONFIG") != null) {
      path = Path.of(environment.get("VIGIA_CONFIG"));
      what = "VIGIA_CONFIG";
    }
    if (path == null) {
      if (!Files.exists(defaultFile)) {
        return file = null;
      }
      path = defaultFile;
      what = "the configuration file";
    }
    try {
      file = ConfigFile.read(path);
    } catch (NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), what + ": no such file: " + path);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), what + ": cannot read " + path + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    List<String> known = new ArrayList<>();
    for (OptionSpec option : spec.options()) {
      if (configurable(option)) {
        known.add(key(option));
      }
    }
    for (var setting : file.values().entrySet()) {
      if (!known.contains(setting.getKey())) {
        throw new ParameterException(
            spec.commandLine(),
            path
                + " line "
                + setting.getValue().line()
                + ": unknown option '"
                + setting.getKey()
                + "'; the options are: "
                + String.join(", ", known));
      }
    }
    return file;
  }

  /** Where the value of {@code option} came from in the last parse. */
  String origin(OptionSpec option) {
    if (spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption(option)) {
      return "flag " + option.longestName();
    }
    return origins.getOrDefault(key(option), "default");
  }

  private ParameterException withOrigin(ParameterException ex) {
    OptionSpec option = null;
    if (ex.getArgSpec() instanceof OptionSpec named) {
      option = named;
    } else {
      // Checks done after parsing name the option in their message ("--interval must be ...").
      for (OptionSpec candidate : spec.options()) {
        if (ex.getMessage() != null
            && ex.getMessage().matches("(?s).*" + candidate.longestName() + "\\b.*")) {
          option = candidate;
          break;
        }
      }
    }
    if (option == null || !origins.containsKey(key(option)) || origin(option).startsWith("flag")) {
      return ex;
    }
    String message = ex.getMessage() + " (from " + origins.get(key(option)) + ")";
    return ex.getArgSpec() == null
        ? new ParameterException(ex.getCommandLine(), message, ex)
        : new ParameterException(ex.getCommandLine(), message, ex, ex.getArgSpec(), ex.getValue());
  }

  /**
   * Prints the effective value of every option and where it came from, as a configuration file
   * would set them; secrets (tokens, passwords) are masked.
   */
  public void printEffective(PrintWriter out) {
    out.println(
        "# "
            + spec.name()
            + ": effective configuration (flags > environment > "
            + fileName()
            + " > defaults)");
    List<String[]> rows = new ArrayList<>();
    int width = 0;
    for (OptionSpec option : spec.options()) {
      if (!configurable(option)) {
        continue;
      }
      String line = key(option) + "=" + shown(option, effective(option));
      width = Math.max(width, line.length());
      rows.add(new String[] {line, origin(option)});
    }
    for (String[] row : rows) {
      out.println(String.format("%-" + width + "s  # %s", row[0], row[1]));
    }
    out.flush();
  }

  /** The text the option's value was given as, wherever it came from. */
  private String effective(OptionSpec option) {
    var parsed = spec.commandLine().getParseResult();
    if (parsed != null && parsed.hasMatchedOption(option)) {
      List<String> given = parsed.matchedOption(option.longestName()).stringValues();
      if (option.isMultiValue()) {
        return String.join(",", given); // all of a list, as the file would write it
      }
      return given.isEmpty() ? "" : given.get(given.size() - 1);
    }
    String text = option.defaultValueString();
    // An empty list's initial value prints as "[]"; in a file it is just nothing.
    return text == null || text.equals("null") || text.equals("[]") ? "" : text;
  }

  private static String shown(OptionSpec option, String value) {
    String key = key(option);
    boolean secret = key.contains("token") || key.contains("password") || key.contains("secret");
    return secret && !value.isEmpty() && !key.endsWith("-file") ? MASK : value;
  }
}
