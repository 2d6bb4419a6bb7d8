package io.elemental.conformance.node.cloudconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.node.cli.ElementalMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code elemental run-stage}: exit 0 whatever failed, 1 with --strict, paths under --root. */
class RunStageCommandTest {
  @TempDir Path tmp;

  @Test
  void runsTheStageUnderRootAndFailsOnlyWhenStrict() throws Exception {
    Path root = tmp.resolve("root");
    Files.createDirectories(root.resolve("oem"));
    Files.createDirectories(root.resolve("usr/local/cloud-config"));
    Files.writeString(root.resolve("oem/10.yaml"), "stages:\n  network:\n    - name: n\n      commands:\n"
        + "        - 'echo net > \"$ROOT/ran\"'\n        - exit 7\n");
    Files.writeString(root.resolve("usr/local/cloud-config/20.yaml"), "stages: [not, a, map]\n");

    StringWriter out = new StringWriter();
    int lenient = run(out, "run-stage", "network", "--root", root.toString());
    assertThat(lenient).isZero();
    assertThat(root.resolve("ran")).hasContent("net\n");
    assertThat(out.toString()).contains("elemental run-stage: /oem/10.yaml: stage network step \"n\": command \"exit 7\""
        + " exited 7", "elemental run-stage: /usr/local/cloud-config/20.yaml:1: cannot unmarshal !!seq into"
        + " map[string][]schema.Stage (stages); file skipped", "elemental run-stage: stage network: 1 steps applied"
        + " from 2 files, 2 failures");

    assertThat(run(new StringWriter(), "run-stage", "--strict", "network", "--root", root.toString())).isEqualTo(1);
  }

  @Test
  void aRootThatIsNotADirectoryIsAnError() {
    StringWriter out = new StringWriter();
    assertThat(run(out, "run-stage", "boot", "--root", tmp.resolve("missing").toString())).isEqualTo(1);
    assertThat(out.toString()).contains("is not a directory");
  }

  private static int run(StringWriter out, String... args) {
    return ElementalMain.command(() -> null, Clock.systemUTC(), new PrintWriter(out, true)).execute(args);
  }
}
