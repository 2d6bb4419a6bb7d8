package io.elemental.conformance.harness.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.awaitility.core.ConditionEvaluationListener;
import org.awaitility.core.EvaluatedCondition;
import org.awaitility.core.TimeoutEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named waits: poll until a condition holds, print what is awaited while it takes long, and
 * fail with the name and the last value seen. Timeouts are scaled by one factor.
 */
public final class Waits {
  private static final Logger LOG = LoggerFactory.getLogger(Waits.class);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
  /** Minute-long waits (VM boots, image builds) report less often. */
  private static final Duration PROGRESS_EVERY_LONG_WAIT = Duration.ofSeconds(20);

  private final double scale;

  public Waits(double scale) {
    this.scale = scale;
  }

  public Duration scaled(Duration base) {
    return Duration.ofMillis(Math.round(base.toMillis() * scale));
  }

  /** Waits until {@code check} holds for the value {@code probe} returns; returns that value. */
  public <T> T until(String what, Duration base, Callable<T> probe, Predicate<? super T> check) {
    return await(what)
        .atMost(scaled(base))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .ignoreExceptionsMatching(e -> !(e instanceof Abort))
        .conditionEvaluationListener(new Progress<>(what,
            base.compareTo(Duration.ofMinutes(1)) > 0 ? PROGRESS_EVERY_LONG_WAIT : PROGRESS_EVERY))
        .until(probe, check::test);
  }

  /** Waits until {@code condition} returns true. */
  public void until(String what, Duration base, Callable<Boolean> condition) {
    until(what, base, condition, Boolean.TRUE::equals);
  }

  /** Thrown by a probe when waiting longer is pointless (the process it waits for has died). */
  public static final class Abort extends RuntimeException {
    public Abort(String message) {
      super(message);
    }
  }

  /** Logs "still waiting for ..." every few seconds, so a slow run shows what it is doing. */
  private static final class Progress<T> implements ConditionEvaluationListener<T> {
    private final String what;
    private final long everyMillis;
    private long nextReportMillis;

    Progress(String what, Duration every) {
      this.what = what;
      this.everyMillis = every.toMillis();
      this.nextReportMillis = everyMillis;
    }

    @Override
    public void conditionEvaluated(EvaluatedCondition<T> condition) {
      if (!condition.isSatisfied() && condition.getElapsedTimeInMS() >= nextReportMillis) {
        nextReportMillis += everyMillis;
        LOG.info("still waiting for {} ({} s of {} s; last seen: {})", what, condition.getElapsedTimeInMS() / 1000,
            condition.getRemainingTimeInMS() < 0 ? "?" : (condition.getElapsedTimeInMS() + condition.getRemainingTimeInMS()) / 1000,
            condition.getValue());
      }
    }

    @Override
    public void onTimeout(TimeoutEvent timeoutEvent) {
      LOG.warn("gave up waiting for {} after {} s", what, timeoutEvent.getElapsedTimeInMS() / 1000);
    }
  }
}
