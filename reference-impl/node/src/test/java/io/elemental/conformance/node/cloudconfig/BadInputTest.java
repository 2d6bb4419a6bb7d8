package io.elemental.conformance.node.cloudconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad cloud-config: one clear line naming the file (and line or step), and the rest still runs. */
class BadInputTest {
  @TempDir Path tmp;
  ScratchSystem system;

  @BeforeEach
  void root() throws Exception {
    system = new ScratchSystem(tmp.resolve("root"));
    system.oem("99_good.yaml", StepKeysTest.step("boot", "good"));
  }

  @Test
  void yamlThatDoesNotParseIsOneLineWithItsLineAndTheFileIsSkipped() throws Exception {
    system.oem("10_broken.yaml", "stages:\n  boot:\n    - commands: [\"unclosed\n");
    RunLog log = system.run("boot");

    assertThat(log.failures()).isEqualTo(1);
    assertThat(system.output().lines().filter(l -> l.contains("10_broken.yaml")))
        .singleElement().asString().matches("elemental run-stage: /oem/10_broken.yaml:\\d+: YAML does not parse: .*;"
            + " file skipped");
    assertThat(system.lines("order")).containsExactly("good");
  }

  @Test
  void aValueOfTheWrongKindSkipsTheFileAsYipDoesWithItsLine() throws Exception {
    system.oem("10_typed.yaml", """
        stages:
          boot:
            - files:
                - path: /etc/x
                  permissions: "0644"
        """);
    RunLog log = system.run("boot");

    assertThat(log.failures()).isEqualTo(1);
    assertThat(system.output()).contains("elemental run-stage: /oem/10_typed.yaml:5: cannot unmarshal !!str `0644` into"
        + " uint32 (permissions); file skipped");
    assertThat(system.root.resolve("etc/x")).doesNotExist();
    assertThat(system.lines("order")).containsExactly("good");
  }

  @Test
  void aDuplicateKeyIsAnErrorAsInYaml3() throws Exception {
    system.oem("10_dup.yaml", "stages:\n  boot:\n    - name: a\n      name: b\n");
    system.run("boot");
    assertThat(system.output()).contains("/oem/10_dup.yaml:4: mapping key \"name\" already defined at line 3; file"
        + " skipped");
  }

  @Test
  void anUnknownKeyIsOneWarningNamingFileStepAndKeyAndTheStepStillRuns() throws Exception {
    system.oem("10_typo.yaml", """
        stages:
          boot:
            - name: typo
              comands: [oops]
              ssh_authorized_keys: {root: [k]}
              commands: ['echo typo >> "$ROOT/order"']
        stage: {}
        """);
    RunLog log = system.run("boot");

    assertThat(log.failures()).isZero();
    assertThat(system.output()).contains(
        "elemental run-stage: /oem/10_typo.yaml: stage boot step \"typo\": unknown key \"comands\" (line 4) ignored,"
            + " as yip ignores it",
        "step \"typo\": unknown key \"ssh_authorized_keys\" (line 5) ignored, as yip ignores it (a step's keys are"
            + " authorized_keys",
        "/oem/10_typo.yaml: unknown top-level key \"stage\" (line 7) ignored; a yip file has name and stages (did you"
            + " mean stages?)");
    assertThat(system.lines("order")).containsExactly("typo", "good");
  }

  @Test
  void aCloudConfigWithCloudInitsStringGroupsIsRejectedAsYipRejectsIt() throws Exception {
    system.oem("10_cloud.yaml", "#cloud-config\nusers:\n  - name: ops\n    groups: sudo, adm\n");
    system.run("boot");
    assertThat(system.output()).contains("/oem/10_cloud.yaml:4: cannot unmarshal !!str `sudo, adm` into []string"
        + " (groups); file skipped");
    assertThat(system.lines("etc/passwd")).noneMatch(l -> l.startsWith("ops:"));
  }

  @Test
  void yaml3NumbersAndBooleansResolveAsInYip() {
    assertThat(YamlDecoder.number("0644")).hasValueSatisfying(n -> assertThat(n.intValue()).isEqualTo(0644));
    assertThat(YamlDecoder.number("0o755")).hasValueSatisfying(n -> assertThat(n.intValue()).isEqualTo(0755));
    assertThat(YamlDecoder.number("0x1F")).hasValueSatisfying(n -> assertThat(n.intValue()).isEqualTo(31));
    assertThat(YamlDecoder.number("1_000")).hasValueSatisfying(n -> assertThat(n.intValue()).isEqualTo(1000));
    assertThat(YamlDecoder.number("644")).hasValueSatisfying(n -> assertThat(n.intValue()).isEqualTo(644));
    assertThat(YamlDecoder.number("0899")).hasValueSatisfying(n -> assertThat(n.intValue()).isEqualTo(899));
    assertThat(YamlDecoder.number("root")).isEmpty();
    assertThat(YamlDecoder.resolvedTag("yes")).isEqualTo("!!str");
    assertThat(YamlDecoder.resolvedTag("True")).isEqualTo("!!bool");
  }
}
