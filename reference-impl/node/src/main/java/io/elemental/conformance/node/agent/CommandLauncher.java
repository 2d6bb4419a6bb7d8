package io.elemental.conformance.node.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Starts one instruction's command and waits for it: a process on a machine. */
public interface CommandLauncher {
  /** How it ended: exit code (-1 when it could not start or timed out), stdout+stderr, and why it did not run. */
  record Exit(int code, byte[] output, String error) {}

  /** Runs {@code command} in {@code workDir} with the agent's environment plus {@code env}. */
  Exit launch(List<String> command, Map<String, String> env, Path workDir, Duration timeout) throws IOException;
}
