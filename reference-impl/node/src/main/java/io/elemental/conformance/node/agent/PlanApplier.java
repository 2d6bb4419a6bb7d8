package io.elemental.conformance.node.agent;

import static io.elemental.conformance.node.agent.PlanSecretKeys.APPLIED_CHECKSUM;
import static io.elemental.conformance.node.agent.PlanSecretKeys.APPLIED_OUTPUT;
import static io.elemental.conformance.node.agent.PlanSecretKeys.FAILED_CHECKSUM;
import static io.elemental.conformance.node.agent.PlanSecretKeys.FAILED_OUTPUT;
import static io.elemental.conformance.node.agent.PlanSecretKeys.FAILURE_COUNT;
import static io.elemental.conformance.node.agent.PlanSecretKeys.LAST_APPLY_TIME;
import static io.elemental.conformance.node.agent.PlanSecretKeys.MAX_FAILURES;
import static io.elemental.conformance.node.agent.PlanSecretKeys.PLAN;
import static io.elemental.conformance.node.agent.PlanSecretKeys.SUCCESS_COUNT;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of the system agent over its plan Secret: given the Secret's data, decides whether to
 * apply the plan, applies it (files, then instructions) and returns the data the Secret should
 * then hold. Watching the Secret and writing it back is the caller's job.
 *
 * <p>The decision follows rancher/system-agent's pkg/k8splan/watcher.go:
 * <ul>
 *   <li>apply when {@code applied-checksum} differs from the plan's {@link PlanChecksum}, and
 *       always on the first pass after this applier is created (the agent start), so plans must
 *       be idempotent;
 *   <li>but not when the same checksum has failed before ({@code failed-checksum} equal,
 *       {@code failure-count} not 0) and either {@code failure-count >= max-failures} (when that
 *       key is set) or the cool-down since {@code last-apply-time} has not passed. These override
 *       the start-up force too, as in the real agent.
 * </ul>
 * Success writes {@code applied-checksum}, {@code applied-output}, {@code last-apply-time},
 * {@code success-count}+1 and clears the failure keys (the real agent sets {@code failure-count}
 * to "0" and {@code failed-checksum}/{@code failed-output} to empty values rather than deleting
 * them). Failure writes {@code failed-checksum}, {@code failed-output}, {@code failure-count}+1,
 * {@code success-count} "0" and {@code last-apply-time}; {@code applied-checksum} keeps the last
 * good plan's. Outputs are merged into the previous ones (the failed output when retrying a
 * failed plan), as the real agent does. Keys it does not own (probes, periodic output) are kept.
 *
 * <p>A file that cannot be written, or a work directory that cannot be made, is not a plan
 * failure: {@link #apply} throws and the caller should retry later without writing the Secret, as
 * the real agent returns an error to its work queue. Unlike the real agent, such a pass does not
 * use up the start-up force.
 */
public final class PlanApplier {
  public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(PlanApplier.class);

  /** What a pass did. */
  public enum Action {
    /** The Secret has no {@code plan} key; data returned unchanged. */
    NO_PLAN,
    APPLIED,
    FAILED,
    /** Already applied ({@code applied-checksum} matches) and not the first pass. */
    UP_TO_DATE,
    /** Failed before and the cool-down has not passed; see {@link Result#retryAfter()}. */
    COOLING_DOWN,
    /** Failed {@code max-failures} times; not retried until the plan changes. */
    MAX_FAILURES_REACHED
  }

  /**
   * @param data the Secret data to write back (a new map; compare with {@link #changed})
   * @param checksum the plan's checksum, null for {@link Action#NO_PLAN}
   * @param retryAfter when cooling down, how long until a pass would retry
   * @param run the instructions' results when the plan was applied (null if it was not)
   */
  public record Result(Map<String, byte[]> data, Action action, String checksum, Optional<Duration> retryAfter,
      InstructionRunner.Result run) {
    /** Whether {@link #data()} differs from {@code original}, i.e. the Secret needs an update. */
    public boolean changed(Map<String, byte[]> original) {
      if (original.size() != data.size()) return true;
      for (Map.Entry<String, byte[]> e : data.entrySet()) {
        if (!original.containsKey(e.getKey()) || !Arrays.equals(original.get(e.getKey()), e.getValue())) {
          return true;
        }
      }
      return false;
    }
  }

  private final FileApplier files;
  private final InstructionRunner runner;
  private final Clock clock;
  private final Duration coolDown;
  private boolean hasRunOnce;

  public PlanApplier(FileApplier files, InstructionRunner runner) {
    this(files, runner, Clock.systemUTC(), DEFAULT_COOL_DOWN);
  }

  public PlanApplier(FileApplier files, InstructionRunner runner, Clock clock, Duration coolDown) {
    this.files = Objects.requireNonNull(files);
    this.runner = Objects.requireNonNull(runner);
    this.clock = Objects.requireNonNull(clock);
    if (coolDown.isNegative()) throw new IllegalArgumentException("cool-down must not be negative");
    this.coolDown = coolDown;
  }

  /** Whether the next pass will apply regardless of {@code applied-checksum} (the start-up force). */
  public synchronized boolean forceApplyPending() {
    return !hasRunOnce;
  }

  /** {@link #apply}, returning only the new data. */
  public Map<String, byte[]> reconcile(Map<String, byte[]> data) throws IOException {
    return apply(data).data();
  }

  /**
   * One pass. The input is not modified.
   *
   * @throws PlanFormatException when the {@code plan} key is not a plan (retry when it changes)
   * @throws IOException when a file or the work directory cannot be written (retry later)
   */
  public synchronized Result apply(Map<String, byte[]> data) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>(data);
    byte[] planBytes = data.get(PLAN);
    if (planBytes == null) {
      return new Result(out, Action.NO_PLAN, null, Optional.empty(), null);
    }
    Plan plan = Plan.parse(planBytes);
    String checksum = PlanChecksum.of(planBytes);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

    boolean needsApplied = !checksum.equals(text(data.get(APPLIED_CHECKSUM)));
    Action skipped = Action.UP_TO_DATE;
    boolean forced = false;
    if (!hasRunOnce) {
      LOG.info("first pass since start: force-applying plan {}", checksum);
      needsApplied = true;
      hasRunOnce = true;
      forced = true;
    }

    int maxFailures = number(data.get(MAX_FAILURES), -1);
    int failureCount = number(data.get(FAILURE_COUNT), 0);
    boolean wasFailedPlan = false;
    Optional<Duration> retryAfter = Optional.empty();
    if (failureCount != 0 && checksum.equals(text(data.get(FAILED_CHECKSUM)))) {
      wasFailedPlan = true;
      if (maxFailures != -1 && failureCount >= maxFailures) {
        LOG.warn("plan {} failed {} times (max-failures {}): not retrying", checksum, failureCount, maxFailures);
        needsApplied = false;
        skipped = Action.MAX_FAILURES_REACHED;
      } else {
        // No readable last-apply-time: retry at once, as the real agent does. Otherwise wait
        // out the cool-down, also when the failure was in this very second.
        Optional<Instant> last = Optional.ofNullable(data.get(LAST_APPLY_TIME))
            .flatMap(raw -> UnixDate.parse(text(raw)));
        if (last.isPresent() && !now.isAfter(last.get().plus(coolDown))) {
          Instant retryAt = last.get().plus(coolDown);
          needsApplied = false;
          skipped = Action.COOLING_DOWN;
          retryAfter = Optional.of(Duration.between(now, retryAt).plusSeconds(1));
        }
      }
    }

    byte[] previousOutput = data.getOrDefault(wasFailedPlan ? FAILED_OUTPUT : APPLIED_OUTPUT, new byte[0]);
    byte[] output = previousOutput;
    InstructionRunner.Result run = null;
    if (needsApplied) {
      try {
        files.apply(plan.files());
        run = runner.run(plan.instructions(), failureCount + 1);
      } catch (IOException | RuntimeException e) {
        if (forced) hasRunOnce = false;
        throw e;
      }
      Map<String, byte[]> outputs;
      try {
        outputs = InstructionOutputs.decode(previousOutput);
      } catch (IOException e) {
        LOG.warn("previous output is unreadable ({}); starting afresh", e.getMessage());
        outputs = new LinkedHashMap<>();
      }
      outputs.putAll(run.savedOutputs());
      output = InstructionOutputs.encode(outputs);
    }

    String nowText = UnixDate.format(now);
    Action action;
    if ((needsApplied && !run.succeeded()) || (!needsApplied && wasFailedPlan)) {
      out.put(FAILED_CHECKSUM, bytes(checksum));
      if (needsApplied) {
        out.put(FAILURE_COUNT, increment(data.get(FAILURE_COUNT)));
        out.put(FAILED_OUTPUT, output);
        out.put(SUCCESS_COUNT, bytes("0"));
        out.put(LAST_APPLY_TIME, bytes(nowText));
        action = Action.FAILED;
      } else {
        action = skipped;
      }
    } else {
      out.put(APPLIED_CHECKSUM, bytes(checksum));
      out.put(APPLIED_OUTPUT, output);
      out.put(FAILURE_COUNT, bytes("0"));
      out.put(FAILED_OUTPUT, new byte[0]);
      out.put(FAILED_CHECKSUM, new byte[0]);
      if (needsApplied) {
        out.put(LAST_APPLY_TIME, bytes(nowText));
        out.put(SUCCESS_COUNT, increment(data.get(SUCCESS_COUNT)));
        action = Action.APPLIED;
      } else {
        action = Action.UP_TO_DATE;
      }
    }
    LOG.info("plan {}: {}", checksum, action);
    return new Result(out, action, checksum, retryAfter, run);
  }

  private static String text(byte[] value) {
    return value == null ? "" : new String(value, StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }

  /** A decimal count; {@code fallback} when absent, empty or not a number. */
  private static int number(byte[] value, int fallback) {
    if (value == null || value.length == 0) return fallback;
    try {
      return Integer.parseInt(text(value).trim());
    } catch (NumberFormatException e) {
      LOG.warn("'{}' is not a number; using {}", text(value), fallback);
      return fallback;
    }
  }

  /** Count + 1, or "1" when it is absent or not a number (as the real agent). */
  private static byte[] increment(byte[] count) {
    return bytes(Integer.toString(number(count, 0) + 1));
  }
}
