package io.elemental.conformance.node.toolkit.host;

import io.elemental.conformance.node.toolkit.Durable;
import io.elemental.conformance.node.toolkit.ToolkitException;
import io.elemental.conformance.node.toolkit.Upgrader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Reference only, for fault injection on a real machine: an upgrade whose environment has
 * {@value #ENV} = one of {@link Upgrader#CHECKPOINTS} stops there, says so on its output (which
 * the system agent copies to the console) and waits for the power to be cut, so a harness can pull
 * the plug at an exact moment between two writes. It holds once: a marker on COS_OEM, on the disk
 * before the line is printed, makes the same upgrade applied again after the power-on go through.
 * If nobody cuts the power within {@link #LIMIT}, the upgrade goes on.
 */
public final class CheckpointHold {
  public static final String ENV = "ELEMENTAL_REFERENCE_HOLD_AT";
  public static final Path MARKER = Path.of("/oem/.elemental-reference-hold");
  static final Duration LIMIT = Duration.ofMinutes(10);

  private final String point;
  private final Path marker;
  private final PrintStream out;
  private final Duration limit;

  CheckpointHold(String point, Path marker, PrintStream out, Duration limit) {
    this.point = point;
    this.marker = marker;
    this.out = out;
    this.limit = limit;
  }

  /** The hold this process's environment asks for; none when {@value #ENV} is unset. */
  public static CheckpointHold fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, MARKER, System.out, LIMIT);
  }

  static CheckpointHold fromEnvironment(Map<String, String> env, Path marker, PrintStream out, Duration limit) {
    String point = env.getOrDefault(ENV, "").strip();
    if (!point.isEmpty() && !Upgrader.CHECKPOINTS.contains(point)) {
      throw new ToolkitException(ENV + "='" + point + "' is not an upgrade checkpoint. Fix: use one of "
          + Upgrader.CHECKPOINTS);
    }
    return new CheckpointHold(point, marker, out, limit);
  }

  /** Called at each checkpoint: returns at once, except at the held one the first time. */
  public void reached(String checkpoint) {
    if (point.isEmpty() || !point.equals(checkpoint) || held()) return;
    try {
      Path partial = marker.resolveSibling(marker.getFileName() + ".new");
      Files.writeString(partial, checkpoint + "\n");
      Durable.replace(partial, marker);
    } catch (IOException e) {
      throw new ToolkitException("cannot record the hold at \"" + checkpoint + "\" in " + marker + ": "
          + e.getMessage() + ". Fix: the hold needs COS_OEM mounted at /oem", e);
    }
    out.println("elemental: upgrade held at \"" + checkpoint + "\" (" + ENV + "); waiting for the power to be cut");
    out.flush();
    try {
      Thread.sleep(limit.toMillis()); // the harness pulls the plug; this is the machine waiting for it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.println("elemental: nobody cut the power within " + limit + "; the upgrade goes on");
  }

  private boolean held() {
    try {
      return Files.isRegularFile(marker) && Files.readString(marker, StandardCharsets.UTF_8).strip().equals(point);
    } catch (IOException e) {
      return false;
    }
  }
}
