package io.elemental.conformance.operator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone operator's {@code --log-level} (the chart's {@code logLevel}): logback's root level. Lower case, so
 * picocli accepts exactly the chart's values and names them when another is given.
 */
enum LogLevel {
  error, warn, info, debug, trace;

  /** Loggers that logback.xml sets on their own (JOSDK, fabric8) keep their level. */
  void apply() {
    if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
      root.setLevel(Level.toLevel(name()));
    }
  }
}
