package io.vigia.codec.config;

import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every daemon has about its configuration and its log, mixed into its command with
 * {@code @Mixin ConfigOptions config;} next to {@link LayeredDefaults#install}. Listed after the
 * daemon's own options in its help ({@code order} 100 and up).
 */
public final class ConfigOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--log-level",
      order = 100,
      paramLabel = "LEVEL",
      defaultValue = "INFO",
      converter = LogLevel.Converter.class,
      description =
          "How much to log: ERROR, WARN, INFO, DEBUG or TRACE (default: ${DEFAULT-VALUE}).")
  LogLevel logLevel;

  @Option(
      names = "--print-config",
      order = 102,
      description =
          "Print the effective configuration (every option, its value and where it came from) and"
              + " exit.")
  boolean printConfig;

  @Option(
      names = "--config",
      order = 101,
      paramLabel = "FILE",
      description =
          "Read options from this file (key=value lines, the option names without dashes). Default:"
              + " VIGIA_CONFIG, else the daemon's file in /etc/vigia/ if it exists.")
  void config(Path file) {
    LayeredDefaults.of(mixee).useFile(file);
  }

  /** The level asked for with {@code --log-level}. */
  public LogLevel logLevel() {
    return logLevel;
  }

  /** Whether {@code --print-config} was given. */
  public boolean printConfig() {
    return printConfig;
  }
}
