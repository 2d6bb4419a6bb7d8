package io.elemental.conformance.node.tpm;

/**
 * A TPM command failed or the TPM could not be reached. The message names the command (e.g.
 * {@code TPM2_Load}), the response code by its TCG name and hex value, and what to do.
 */
public class TpmCommandException extends RuntimeException {
  /** No TPM response (unreachable TPM, malformed answer). */
  public static final int NO_RESPONSE_CODE = -1;

  private final String command;
  private final int responseCode;

  TpmCommandException(String command, int responseCode, String where) {
    super(command + " failed" + (where.isEmpty() ? "" : " (" + where + ")") + ": " + TpmRc.describe(responseCode)
        + (TpmRc.advice(command, responseCode).isEmpty() ? "" : ": " + TpmRc.advice(command, responseCode)));
    this.command = command;
    this.responseCode = responseCode;
  }

  public TpmCommandException(String message, Throwable cause) {
    super(message, cause);
    this.command = "";
    this.responseCode = NO_RESPONSE_CODE;
  }

  /** The TPM2_ command that failed, or empty when no command was answered. */
  public String command() {
    return command;
  }

  /** The TPM response code, or {@link #NO_RESPONSE_CODE}. */
  public int responseCode() {
    return responseCode;
  }

  /** True when the TPM said the handle (persistent key, NV index) is not there. */
  public boolean isMissingHandle() {
    return responseCode != NO_RESPONSE_CODE && TpmRc.base(responseCode) == TpmRc.HANDLE;
  }
}
