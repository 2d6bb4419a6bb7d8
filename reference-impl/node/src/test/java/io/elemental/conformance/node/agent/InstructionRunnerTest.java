package io.elemental.conformance.node.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstructionRunnerTest {
  @TempDir
  Path work;

  private static Plan.Instruction sh(String name, String script, boolean saveOutput, String... env) {
    return new Plan.Instruction(name, null, "/bin/sh", List.of("-c", script), List.of(env), saveOutput);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void runsInOrderInTheWorkDirectory() throws IOException {
    InstructionRunner.Result result = new InstructionRunner(work).run(List.of(
        sh("one", "echo one >> order", false),
        sh("two", "echo two >> order", false),
        sh("three", "echo three >> order", false)), 1);

    assertThat(result.succeeded()).isTrue();
    assertThat(result.outcomes()).extracting(InstructionRunner.Outcome::exitCode).containsExactly(0, 0, 0);
    assertThat(work.resolve("order")).hasContent("one\ntwo\nthree");
  }

  @Test
  void stopsAtTheFirstNonZeroExit() throws IOException {
    InstructionRunner.Result result = new InstructionRunner(work).run(List.of(
        sh("ok", "echo ok >> order", false),
        sh("bad", "echo bad >> order; exit 3", true),
        sh("never", "echo never >> order", false)), 1);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.outcomes()).hasSize(2);
    assertThat(result.outcomes().get(1).exitCode()).isEqualTo(3);
    assertThat(result.outcomes().get(1).name()).isEqualTo("bad");
    assertThat(work.resolve("order")).hasContent("ok\nbad");
    assertThat(result.savedOutputs()).containsOnlyKeys("bad");
  }

  @Test
  void savesCombinedStdoutAndStderrOnlyWhenAsked() throws IOException {
    InstructionRunner.Result result = new InstructionRunner(work).run(List.of(
        sh("saved", "echo out; echo err >&2", true),
        sh("notSaved", "echo quiet", false),
        sh("", "echo nameless", true)), 1);

    assertThat(result.savedOutputs()).containsOnlyKeys("saved");
    assertThat(text(result.savedOutputs().get("saved"))).contains("out\n").contains("err\n");
    assertThat(text(result.outcomes().get(1).output())).isEqualTo("quiet\n");
  }

  @Test
  void passesEnvAttemptAndExecutionDirectory() throws IOException {
    InstructionRunner.Result result = new InstructionRunner(work).run(List.of(
        sh("env", "echo \"$GREETING|$EMPTY|$CATTLE_AGENT_ATTEMPT_NUMBER|$CATTLE_AGENT_EXECUTION_PWD|$(pwd)\"",
            true, "GREETING=a=b", "EMPTY=", "NOT_K_V")), 4);

    String realWork = work.toRealPath().toString();
    assertThat(text(result.savedOutputs().get("env")).trim())
        .isEqualTo("a=b||4|" + work.toAbsolutePath() + "|" + realWork);
  }

  @Test
  void aCommandThatCannotStartFails() throws IOException {
    InstructionRunner.Result result = new InstructionRunner(work).run(List.of(
        new Plan.Instruction("missing", null, "/no/such/command", List.of(), List.of(), true)), 1);

    assertThat(result.succeeded()).isFalse();
    assertThat(result.outcomes().get(0).exitCode()).isEqualTo(-1);
    assertThat(result.outcomes().get(0).error()).contains("/no/such/command");
  }

  @Test
  void anEmptyCommandRunsRunShInTheWorkDirectory() throws IOException {
    Path runSh = work.resolve("run.sh");
    Files.writeString(runSh, "#!/bin/sh\necho from run.sh\n");
    runSh.toFile().setExecutable(true);
    InstructionRunner.Result result = new InstructionRunner(work).run(List.of(
        new Plan.Instruction("default", "ignored/image:v1", null, List.of(), List.of(), true)), 1);

    assertThat(result.succeeded()).isTrue();
    assertThat(text(result.savedOutputs().get("default"))).isEqualTo("from run.sh\n");
  }

  @Test
  void anInstructionThatOutlivesTheTimeoutIsKilledAndFails() throws IOException {
    long start = System.nanoTime();
    InstructionRunner.Result result = new InstructionRunner(work, Duration.ofMillis(300)).run(List.of(
        sh("slow", "echo started; exec sleep 30", true),
        sh("after", "echo after > after", false)), 1);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    assertThat(result.succeeded()).isFalse();
    assertThat(result.outcomes()).hasSize(1);
    assertThat(result.outcomes().get(0).error()).contains("timed out");
    assertThat(text(result.savedOutputs().get("slow"))).isEqualTo("started\n");
    assertThat(work.resolve("after")).doesNotExist();
  }

  @Test
  void makesTheWorkDirectoryAndRunsNothingForNoInstructions() throws IOException {
    Path missing = work.resolve("a/b");
    InstructionRunner.Result result = new InstructionRunner(missing).run(List.of(), 1);
    assertThat(result.succeeded()).isTrue();
    assertThat(result.outcomes()).isEmpty();
    assertThat(missing).isDirectory();
  }
}
