package io.elemental.conformance.node.agent;

/**
 * The plan Secret's data keys, as rancher/system-agent names them (pkg/k8splan/watcher.go). The
 * operator writes {@code plan} (and may write {@code max-failures}); the agent writes the rest.
 */
public final class PlanSecretKeys {
  private PlanSecretKeys() {
  }

  public static final String PLAN = "plan";
  public static final String APPLIED_CHECKSUM = "applied-checksum";
  /** gzip of a JSON object: instruction name → base64 of its combined output. */
  public static final String APPLIED_OUTPUT = "applied-output";
  /** Periodic instructions' results (not written by this agent yet). */
  public static final String APPLIED_PERIODIC_OUTPUT = "applied-periodic-output";
  public static final String FAILED_CHECKSUM = "failed-checksum";
  /** Same format as {@link #APPLIED_OUTPUT}, for the attempt that failed. */
  public static final String FAILED_OUTPUT = "failed-output";
  public static final String FAILURE_COUNT = "failure-count";
  public static final String SUCCESS_COUNT = "success-count";
  /** Decimal; absent, empty or unparsable means no limit. */
  public static final String MAX_FAILURES = "max-failures";
  /** Go's {@code time.UnixDate} of the last attempt, the start of the failure cool-down. */
  public static final String LAST_APPLY_TIME = "last-apply-time";
  /** Probe results (not written by this agent yet). */
  public static final String PROBE_STATUSES = "probe-statuses";
  public static final String PROBE_PERIOD_SECONDS = "probe-period-seconds";
}
