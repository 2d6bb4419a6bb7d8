package io.elemental.conformance.node.tpm;

import java.util.List;

/** A tpm2-tools command failed; the message names the command, its exit code and its stderr. */
public class TpmCommandException extends RuntimeException {
  private final List<String> command;
  private final int exitCode;
  private final String stderr;

  public TpmCommandException(List<String> command, int exitCode, String stderr) {
    super(String.join(" ", command) + " exited with " + exitCode + hint(stderr) + ": " + stderr.strip());
    this.command = List.copyOf(command);
    this.exitCode = exitCode;
    this.stderr = stderr;
  }

  public TpmCommandException(String message, Throwable cause) {
    super(message, cause);
    this.command = List.of();
    this.exitCode = -1;
    this.stderr = "";
  }

  private static String hint(String stderr) {
    if (stderr.contains("tcti") && (stderr.contains("Could not") || stderr.contains("Failed to"))) {
      return " (is the TPM reachable and its TCTI installed? swtpm: apt-get install -y libtss2-tcti-swtpm0)";
    }
    return "";
  }

  public List<String> command() {
    return command;
  }

  public int exitCode() {
    return exitCode;
  }

  public String stderr() {
    return stderr;
  }
}
