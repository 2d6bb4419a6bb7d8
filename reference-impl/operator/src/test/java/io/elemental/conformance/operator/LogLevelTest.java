package io.elemental.conformance.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The chart's logLevel reaches logback; a value the chart does not know is refused naming the valid ones. */
class LogLevelTest {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @Test
  void setsTheRootLevel() {
    Level before = root.getLevel();
    try {
      LogLevel.debug.apply();
      assertThat(root.getLevel()).isEqualTo(Level.DEBUG);
    } finally {
      root.setLevel(before);
    }
  }

  @Test
  void anUnknownLevelIsAUsageErrorNamingTheValidOnes() {
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new OperatorMain()).setErr(new PrintWriter(err))
        .execute("run", "--log-level", "verbose");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--log-level", "error, warn, info, debug, trace", "verbose");
  }
}
