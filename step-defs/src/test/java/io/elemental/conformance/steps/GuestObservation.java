package io.elemental.conformance.steps;

import io.elemental.conformance.node.toolkit.StateFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A VM as the spec observes it, through commands over SSH. COS_STATE is read where the
 * initramfs mounted it to loop the snapshot, else mounted read-only for the look.
 */
final class GuestObservation implements ObservedMachine {
  private static final Pattern IMAGE = Pattern.compile("(?:^|\\s)elemental\\.image=(\\S+)");
  /** Prints COS_STATE's mount point, mounting it read-only when no boot mounted it. */
  private static final String STATE_DIR = "d=$(findmnt -fno TARGET -S LABEL=COS_STATE); if [ -z \"$d\" ]; then"
      + " d=/run/elemental-observed-state; mkdir -p $d; mount -o ro LABEL=COS_STATE $d; fi; ";

  private final Function<String, String> guest;

  /** {@code guest} runs a command in the VM and returns what it printed, failing unless it exits 0. */
  GuestObservation(Function<String, String> guest) {
    this.guest = guest;
  }

  @Override
  public String bootedEntry() {
    Matcher m = IMAGE.matcher(cmdline());
    return m.find() ? m.group(1) : "live";
  }

  @Override
  public String cmdline() {
    return guest.apply("cat /proc/cmdline").strip();
  }

  @Override
  public boolean hasModeMarker(String mode) {
    return guest.apply("test -f /run/elemental/" + mode + "_mode && echo yes || echo no").strip().equals("yes");
  }

  @Override
  public Map<String, String> osRelease() {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : guest.apply(". /etc/os-release; echo \"ID=$ID\"; echo \"VERSION_ID=$VERSION_ID\";"
        + " echo \"NAME=$NAME\"").split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) fields.put(line.substring(0, eq), line.substring(eq + 1));
    }
    return fields;
  }

  @Override
  public Optional<String> file(String path) {
    String out = guest.apply("if [ -f '" + path + "' ]; then echo present; cat '" + path + "'; else echo absent; fi");
    return out.startsWith("present\n") ? Optional.of(out.substring("present\n".length())) : Optional.empty();
  }

  @Override
  public StateFile stateFile() {
    try {
      Path copy = Files.createTempFile("state-", ".yaml");
      try {
        Files.writeString(copy, guest.apply(STATE_DIR + "cat $d/" + StateFile.NAME));
        return StateFile.read(copy);
      } finally {
        Files.deleteIfExists(copy);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<Integer> snapshotIds() {
    String out = guest.apply(STATE_DIR + "ls $d/.snapshots").strip();
    return Arrays.stream(out.split("\\s+")).filter(s -> s.matches("\\d+")).map(Integer::parseInt).sorted().toList();
  }

  @Override
  public OptionalInt activeSnapshot() {
    String target = guest.apply(STATE_DIR + "readlink $d/.snapshots/active || true").strip();
    Matcher m = Pattern.compile("(\\d+)/").matcher(target);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }
}
