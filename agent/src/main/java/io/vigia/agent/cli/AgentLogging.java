package io.vigia.agent.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import io.vigia.codec.logging.ConsolePrefix;
import java.util.Locale;

/**
 * The agent's logging, set up in code: one line per event to stderr, {@code <prefix>LEVEL Logger:
 * message}, the prefix being {@link ConsolePrefix} (the time at a terminal, the syslog priority
 * under systemd); the root level from {@code VIGIA_LOG_LEVEL} (INFO by default), Netty at WARN.
 *
 * <p>Why not a {@code logback.xml}: reading one loads logback's XML configurator and the JDK's XML
 * parser, some 400 classes, about 4 MB of metaspace that the agent, which lives on every monitored
 * machine, would carry for the rest of its life. Logback finds this class through {@code
 * META-INF/services}. A {@code logback.xml} or {@code logback-test.xml} on the class path, or
 * {@code -Dlogback.configurationFile}, still wins: then this configurator steps aside.
 */
public final class AgentLogging extends ContextAwareBase implements Configurator {

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = AgentLogging.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    LineLayout layout = new LineLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(stderr);
    root.setLevel(rootLevel(System.getenv("VIGIA_LOG_LEVEL")));
    context.getLogger("io.netty").setLevel(Level.WARN);
    context.getLogger("oshi").setLevel(Level.WARN);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** The level VIGIA_LOG_LEVEL names, INFO when unset or not a level. */
  static Level rootLevel(String fromEnvironment) {
    if (fromEnvironment == null || fromEnvironment.isBlank()) {
      return Level.INFO;
    }
    return Level.toLevel(fromEnvironment.strip().toUpperCase(Locale.ROOT), Level.INFO);
  }

  /** {@code %consolePrefix%-5level %logger{0}: %msg%n}, and the stack trace if there is one. */
  static final class LineLayout extends LayoutBase<ILoggingEvent> {

    private final ConsolePrefix prefix;

    LineLayout() {
      this(new ConsolePrefix());
    }

    LineLayout(ConsolePrefix prefix) {
      this.prefix = prefix;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
      StringBuilder line = new StringBuilder(128);
      line.append(prefix.convert(event));
      String level = event.getLevel().toString();
      line.append(level);
      for (int pad = level.length(); pad < 5; pad++) {
        line.append(' ');
      }
      String logger = event.getLoggerName();
      line.append(' ').append(logger, logger.lastIndexOf('.') + 1, logger.length()).append(": ");
      line.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
      }
      return line.toString();
    }
  }
}
