package io.elemental.conformance.node.agent;

import static io.elemental.conformance.node.agent.PlanSecretKeys.APPLIED_CHECKSUM;
import static io.elemental.conformance.node.agent.PlanSecretKeys.APPLIED_OUTPUT;
import static io.elemental.conformance.node.agent.PlanSecretKeys.FAILED_CHECKSUM;
import static io.elemental.conformance.node.agent.PlanSecretKeys.FAILED_OUTPUT;
import static io.elemental.conformance.node.agent.PlanSecretKeys.FAILURE_COUNT;
import static io.elemental.conformance.node.agent.PlanSecretKeys.LAST_APPLY_TIME;
import static io.elemental.conformance.node.agent.PlanSecretKeys.MAX_FAILURES;
import static io.elemental.conformance.node.agent.PlanSecretKeys.PLAN;
import static io.elemental.conformance.node.agent.PlanSecretKeys.PROBE_STATUSES;
import static io.elemental.conformance.node.agent.PlanSecretKeys.SUCCESS_COUNT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanApplierTest {
  /** A clock tests move by hand. */
  static final class FakeClock extends Clock {
    Instant now = Instant.parse("2026-01-02T03:04:05Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @TempDir
  Path root;
  @TempDir
  Path work;

  FakeClock clock = new FakeClock();
  PlanApplier applier;

  @BeforeEach
  void setUp() {
    applier = new PlanApplier(new FileApplier(root), new InstructionRunner(work), clock, Duration.ofSeconds(30));
  }

  /** A plan writing /etc/marker and running one instruction that counts its runs and fails while work/fail exists. */
  private static byte[] plan(String marker) {
    String content = Base64.getEncoder().encodeToString(marker.getBytes(StandardCharsets.UTF_8));
    return ("{\"files\":[{\"path\":\"/etc/marker\",\"content\":\"" + content + "\"}],"
        + "\"instructions\":[{\"name\":\"count\",\"command\":\"/bin/sh\",\"args\":[\"-c\","
        + "\"echo run >> runs; echo attempt $CATTLE_AGENT_ATTEMPT_NUMBER; test ! -e fail\"],\"saveOutput\":true}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private Map<String, byte[]> secret(byte[] plan) {
    Map<String, byte[]> data = new HashMap<>();
    data.put(PLAN, plan);
    return data;
  }

  private long runs() throws IOException {
    Path runs = work.resolve("runs");
    return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
  }

  private void failFromNowOn(boolean fail) throws IOException {
    if (fail) {
      Files.writeString(work.resolve("fail"), "");
    } else {
      Files.deleteIfExists(work.resolve("fail"));
    }
  }

  @Test
  void appliesANewPlanAndRecordsSuccess() throws IOException {
    byte[] plan = plan("v1");
    Map<String, byte[]> before = secret(plan);
    before.put(PROBE_STATUSES, utf8("{}"));

    PlanApplier.Result result = applier.apply(before);

    assertThat(result.action()).isEqualTo(PlanApplier.Action.APPLIED);
    assertThat(result.changed(before)).isTrue();
    assertThat(root.resolve("etc/marker")).hasContent("v1");
    Map<String, byte[]> after = result.data();
    assertThat(text(after.get(APPLIED_CHECKSUM))).isEqualTo(PlanChecksum.of(plan)).isEqualTo(result.checksum());
    assertThat(text(InstructionOutputs.decode(after.get(APPLIED_OUTPUT)).get("count"))).isEqualTo("attempt 1\n");
    assertThat(text(after.get(FAILURE_COUNT))).isEqualTo("0");
    assertThat(after.get(FAILED_CHECKSUM)).isEmpty();
    assertThat(after.get(FAILED_OUTPUT)).isEmpty();
    assertThat(text(after.get(SUCCESS_COUNT))).isEqualTo("1");
    assertThat(text(after.get(LAST_APPLY_TIME))).isEqualTo("Fri Jan  2 03:04:05 UTC 2026");
    assertThat(text(after.get(PROBE_STATUSES))).isEqualTo("{}");
    assertThat(before).doesNotContainKey(APPLIED_CHECKSUM); // input untouched
  }

  @Test
  void forceAppliesOnceAfterStartThenOnlyOnChange() throws IOException {
    byte[] plan = plan("v1");
    Map<String, byte[]> data = secret(plan);
    data.put(APPLIED_CHECKSUM, utf8(PlanChecksum.of(plan))); // applied by a previous agent run
    assertThat(applier.forceApplyPending()).isTrue();

    PlanApplier.Result first = applier.apply(data);
    assertThat(first.action()).isEqualTo(PlanApplier.Action.APPLIED);
    assertThat(applier.forceApplyPending()).isFalse();
    assertThat(runs()).isEqualTo(1);

    PlanApplier.Result second = applier.apply(first.data());
    assertThat(second.action()).isEqualTo(PlanApplier.Action.UP_TO_DATE);
    assertThat(second.changed(first.data())).isFalse();
    assertThat(second.run()).isNull();
    assertThat(runs()).isEqualTo(1);

    Map<String, byte[]> changed = new HashMap<>(second.data());
    changed.put(PLAN, plan("v2"));
    PlanApplier.Result third = applier.apply(changed);
    assertThat(third.action()).isEqualTo(PlanApplier.Action.APPLIED);
    assertThat(runs()).isEqualTo(2);
    assertThat(text(third.data().get(SUCCESS_COUNT))).isEqualTo("2");
    assertThat(root.resolve("etc/marker")).hasContent("v2");
  }

  @Test
  void aFailureIsNotRetriedInTheSameSecond() throws IOException {
    failFromNowOn(true);
    Map<String, byte[]> failed = applier.apply(secret(plan("v1"))).data();

    PlanApplier.Result again = applier.apply(failed); // no clock advance: the very same second

    assertThat(again.action()).isEqualTo(PlanApplier.Action.COOLING_DOWN);
    assertThat(text(again.data().get(FAILURE_COUNT))).isEqualTo("1");
  }

  @Test
  void aFailureIsRecordedAndRetriedOnlyAfterTheCoolDown() throws IOException {
    byte[] good = plan("v1");
    Map<String, byte[]> applied = applier.apply(secret(good)).data();
    byte[] bad = plan("v2");
    Map<String, byte[]> next = new HashMap<>(applied);
    next.put(PLAN, bad);
    failFromNowOn(true);

    PlanApplier.Result failed = applier.apply(next);

    assertThat(failed.action()).isEqualTo(PlanApplier.Action.FAILED);
    Map<String, byte[]> data = failed.data();
    assertThat(text(data.get(FAILED_CHECKSUM))).isEqualTo(PlanChecksum.of(bad));
    assertThat(text(data.get(APPLIED_CHECKSUM))).isEqualTo(PlanChecksum.of(good));
    assertThat(text(data.get(FAILURE_COUNT))).isEqualTo("1");
    assertThat(text(data.get(SUCCESS_COUNT))).isEqualTo("0");
    assertThat(text(InstructionOutputs.decode(data.get(FAILED_OUTPUT)).get("count"))).isEqualTo("attempt 1\n");
    assertThat(failed.run().succeeded()).isFalse();

    clock.advance(Duration.ofSeconds(10));
    PlanApplier.Result cooling = applier.apply(data);
    assertThat(cooling.action()).isEqualTo(PlanApplier.Action.COOLING_DOWN);
    assertThat(cooling.changed(data)).isFalse();
    assertThat(cooling.retryAfter()).contains(Duration.ofSeconds(21));
    assertThat(runs()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(20)); // exactly 30 s: still cooling, as the real agent (not after)
    assertThat(applier.apply(data).action()).isEqualTo(PlanApplier.Action.COOLING_DOWN);

    clock.advance(Duration.ofSeconds(1));
    PlanApplier.Result retried = applier.apply(data);
    assertThat(retried.action()).isEqualTo(PlanApplier.Action.FAILED);
    assertThat(text(retried.data().get(FAILURE_COUNT))).isEqualTo("2");
    assertThat(text(InstructionOutputs.decode(retried.data().get(FAILED_OUTPUT)).get("count")))
        .isEqualTo("attempt 2\n");
    assertThat(runs()).isEqualTo(3);

    failFromNowOn(false);
    clock.advance(Duration.ofSeconds(31));
    PlanApplier.Result recovered = applier.apply(retried.data());
    assertThat(recovered.action()).isEqualTo(PlanApplier.Action.APPLIED);
    assertThat(text(recovered.data().get(APPLIED_CHECKSUM))).isEqualTo(PlanChecksum.of(bad));
    assertThat(text(recovered.data().get(FAILURE_COUNT))).isEqualTo("0");
    assertThat(recovered.data().get(FAILED_CHECKSUM)).isEmpty();
    assertThat(recovered.data().get(FAILED_OUTPUT)).isEmpty();
    assertThat(text(recovered.data().get(SUCCESS_COUNT))).isEqualTo("1");
  }

  @Test
  void stopsRetryingAtMaxFailuresUntilThePlanChanges() throws IOException {
    failFromNowOn(true);
    Map<String, byte[]> data = secret(plan("v1"));
    data.put(MAX_FAILURES, utf8("2"));

    data = applier.apply(data).data();
    clock.advance(Duration.ofMinutes(1));
    PlanApplier.Result second = applier.apply(data);
    assertThat(second.action()).isEqualTo(PlanApplier.Action.FAILED);
    data = second.data();
    assertThat(text(data.get(FAILURE_COUNT))).isEqualTo("2");

    clock.advance(Duration.ofHours(1));
    PlanApplier.Result stopped = applier.apply(data);
    assertThat(stopped.action()).isEqualTo(PlanApplier.Action.MAX_FAILURES_REACHED);
    assertThat(stopped.changed(data)).isFalse();
    assertThat(runs()).isEqualTo(2);

    failFromNowOn(false);
    Map<String, byte[]> changed = new HashMap<>(data);
    changed.put(PLAN, plan("v2"));
    assertThat(applier.apply(changed).action()).isEqualTo(PlanApplier.Action.APPLIED);
    assertThat(runs()).isEqualTo(3);
  }

  @Test
  void aRestartedAgentStillHonoursTheCoolDownAndMaxFailures() throws IOException {
    byte[] plan = plan("v1");
    Map<String, byte[]> data = secret(plan);
    data.put(FAILED_CHECKSUM, utf8(PlanChecksum.of(plan)));
    data.put(FAILURE_COUNT, utf8("1"));
    data.put(LAST_APPLY_TIME, utf8(UnixDate.format(clock.now.minusSeconds(5))));

    assertThat(applier.apply(data).action()).isEqualTo(PlanApplier.Action.COOLING_DOWN);
    assertThat(applier.forceApplyPending()).isFalse(); // the force is spent, as in the real agent
    assertThat(runs()).isZero();

    clock.advance(Duration.ofSeconds(30));
    assertThat(applier.apply(data).action()).isEqualTo(PlanApplier.Action.APPLIED);

    PlanApplier fresh = new PlanApplier(new FileApplier(root), new InstructionRunner(work), clock, Duration.ofSeconds(30));
    Map<String, byte[]> exhausted = new HashMap<>(data);
    exhausted.put(MAX_FAILURES, utf8("1"));
    assertThat(fresh.apply(exhausted).action()).isEqualTo(PlanApplier.Action.MAX_FAILURES_REACHED);
  }

  @Test
  void aFailedChecksumWithoutLastApplyTimeIsRetriedAtOnce() throws IOException {
    byte[] plan = plan("v1");
    Map<String, byte[]> data = secret(plan);
    data.put(FAILED_CHECKSUM, utf8(PlanChecksum.of(plan)));
    data.put(FAILURE_COUNT, utf8("3"));
    data.put(LAST_APPLY_TIME, utf8("not a date"));
    PlanApplier.Result result = applier.apply(data);
    assertThat(result.action()).isEqualTo(PlanApplier.Action.APPLIED);
    assertThat(text(InstructionOutputs.decode(result.data().get(APPLIED_OUTPUT)).get("count")))
        .isEqualTo("attempt 4\n");
  }

  @Test
  void keepsEarlierOutputsOfOtherInstructions() throws IOException {
    Map<String, byte[]> data = secret(plan("v1"));
    data.put(APPLIED_OUTPUT, InstructionOutputs.encode(Map.of("earlier", utf8("kept"), "count", utf8("old"))));
    Map<String, byte[]> outputs = InstructionOutputs.decode(applier.apply(data).data().get(APPLIED_OUTPUT));
    assertThat(outputs).containsOnlyKeys("earlier", "count");
    assertThat(text(outputs.get("count"))).isEqualTo("attempt 1\n");
  }

  @Test
  void noPlanKeyChangesNothing() throws IOException {
    Map<String, byte[]> data = Map.of("other", utf8("x"));
    PlanApplier.Result result = applier.apply(data);
    assertThat(result.action()).isEqualTo(PlanApplier.Action.NO_PLAN);
    assertThat(result.changed(data)).isFalse();
    assertThat(applier.forceApplyPending()).isTrue();
  }

  @Test
  void theEmptyPlanIsAppliedTrivially() throws IOException {
    PlanApplier.Result result = applier.apply(secret(utf8("{}")));
    assertThat(result.action()).isEqualTo(PlanApplier.Action.APPLIED);
    assertThat(text(result.data().get(APPLIED_CHECKSUM)))
        .isEqualTo("44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    assertThat(InstructionOutputs.decode(result.data().get(APPLIED_OUTPUT))).isEmpty();
  }

  @Test
  void aMalformedPlanThrowsAndKeepsTheForcePending() {
    assertThatThrownBy(() -> applier.apply(secret(utf8("{\"files\": [}"))))
        .isInstanceOf(PlanFormatException.class).hasMessageContaining("plan");
    assertThat(applier.forceApplyPending()).isTrue();
  }

  @Test
  void aFileThatCannotBeWrittenThrowsWithoutRecordingAFailure() throws IOException {
    Files.writeString(root.resolve("etc"), "a file where a directory should be");
    assertThatThrownBy(() -> applier.apply(secret(plan("v1")))).isInstanceOf(IOException.class);
    assertThat(applier.forceApplyPending()).isTrue();
    assertThat(runs()).isZero();

    Files.delete(root.resolve("etc"));
    assertThat(applier.apply(secret(plan("v1"))).action()).isEqualTo(PlanApplier.Action.APPLIED);
  }
}
