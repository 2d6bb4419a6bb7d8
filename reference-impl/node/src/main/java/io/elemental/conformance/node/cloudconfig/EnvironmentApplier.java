package io.elemental.conformance.node.cloudconfig;

import io.elemental.conformance.node.cloudconfig.Step.DirectoryEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code environment}, as yip's {@code Environment}: the keys merged into {@code /etc/environment}
 * (or {@code environment_file}), which is rewritten whole, sorted, in godotenv's format, mode 0644.
 * A missing parent directory is made 0744, owned by the runner, as yip makes it.
 */
final class EnvironmentApplier implements StepApplier {
  static final String DEFAULT_FILE = "/etc/environment";

  @Override
  public String key() {
    return "environment";
  }

  @Override
  public void apply(Step step, StepContext context) throws IOException {
    if (step.environment().isEmpty()) return;
    String name = step.environmentFile().isEmpty() ? DEFAULT_FILE : step.environmentFile();
    Target target = context.target();
    String parent = DirectoriesApplier.parentOf(name);
    if (!Files.exists(target.root().resolve(parent))) {
      int[] me = runner();
      DirectoriesApplier.ensure(new DirectoryEntry(parent, 0744, me[0], me[1]), target, true);
    }
    Path file = target.root().resolve(name);
    Map<String, String> values = new LinkedHashMap<>();
    if (Files.isRegularFile(file)) values.putAll(Dotenv.parse(Files.readString(file, StandardCharsets.UTF_8)));
    values.putAll(step.environment());
    int[] owner = Files.exists(file) ? Ownership.POSIX.owner(file) : null;
    AtomicFiles.write(file, Dotenv.marshal(values).getBytes(StandardCharsets.UTF_8), 0644, owner);
  }

  /** The uid and gid this process runs as (the owner of /proc/self), root when unknown. */
  private static int[] runner() {
    try {
      Path self = Path.of("/proc/self");
      return new int[] {(Integer) Files.getAttribute(self, "unix:uid", LinkOption.NOFOLLOW_LINKS),
          (Integer) Files.getAttribute(self, "unix:gid", LinkOption.NOFOLLOW_LINKS)};
    } catch (IOException | UnsupportedOperationException e) {
      return new int[] {0, 0};
    }
  }
}
