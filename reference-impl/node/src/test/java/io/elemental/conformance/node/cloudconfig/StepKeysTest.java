package io.elemental.conformance.node.cloudconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each key of a yip step, applied to a scratch root as yip applies it to a machine. */
class StepKeysTest {
  @TempDir Path tmp;
  ScratchSystem system;

  @BeforeEach
  void root() throws Exception {
    system = new ScratchSystem(tmp.resolve("root"));
  }

  @Test
  void filesAreWrittenWithTheirModeAndOwnerAndMissingParentsGetOwnerExecute() throws Exception {
    system.oem("10.yaml", """
        stages:
          boot:
            - name: files
              files:
                - path: /etc/motd.d/welcome
                  content: |
                    hello
                  permissions: 0640
                  owner: 1000
                  group: 100
                - path: /etc/encoded
                  encoding: b64
                  content: aGk=
                  permissions: 0o600
        """);
    RunLog log = system.run("boot");

    assertThat(log.failures()).isZero();
    assertThat(system.root.resolve("etc/motd.d/welcome")).hasContent("hello\n");
    assertThat(system.mode("etc/motd.d/welcome")).isEqualTo("rw-r-----");
    assertThat(system.owner("etc/motd.d/welcome")).isEqualTo("1000:100");
    // yip makes a missing parent with the file's mode plus owner-execute (0640 -> 0740, less the umask) and owner.
    assertThat(system.mode("etc/motd.d")).startsWith("rwx");
    assertThat(system.owner("etc/motd.d")).isEqualTo("1000:100");
    assertThat(system.root.resolve("etc/encoded")).hasContent("hi");
    assertThat(system.mode("etc/encoded")).isEqualTo("rw-------");
    assertThat(system.owner("etc/encoded")).isEqualTo("0:0");
    try (var leftovers = Files.list(system.root.resolve("etc"))) {
      assertThat(leftovers.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".new"));
    }
  }

  @Test
  void aFileWithoutPermissionsGetsModeZeroAsInYip() throws Exception {
    system.oem("10.yaml", "stages:\n  boot:\n    - files:\n        - path: /etc/bare\n          content: x\n");
    system.run("boot");
    assertThat(system.mode("etc/bare")).isEqualTo("---------");
  }

  @Test
  void directoriesAreMadeWithParentsAndExistingOnesGetModeAndOwner() throws Exception {
    Files.createDirectories(system.root.resolve("srv/existing"));
    system.write("srv/file", "not a directory");
    system.oem("10.yaml", """
        stages:
          boot:
            - directories:
                - path: /srv/a/b/c
                  permissions: 0750
                  owner: 1000
                  group: 1000
                - path: /srv/existing
                  permissions: 0700
                  owner: 5
                  group: 6
                - path: /srv/file
                  permissions: 0755
        """);
    RunLog log = system.run("boot");

    assertThat(system.mode("srv/a/b/c")).isEqualTo("rwxr-x---");
    assertThat(system.owner("srv/a")).isEqualTo("1000:1000");
    assertThat(system.owner("srv/a/b/c")).isEqualTo("1000:1000");
    assertThat(system.mode("srv/existing")).isEqualTo("rwx------");
    assertThat(system.owner("srv/existing")).isEqualTo("5:6");
    assertThat(log.failures()).isEqualTo(1);
    assertThat(system.output()).contains("/oem/10.yaml: stage boot step \"0\": directories: /srv/file: /srv/file already"
        + " exists and it is not a directory");
  }

  @Test
  void commandsRunInOrderInTheRootWithRootSetAndAFailureDoesNotStopTheNext() throws Exception {
    system.oem("10.yaml", """
        stages:
          boot:
            - name: commands
              commands:
                - echo one >> "$ROOT/log"
                - exit 3
                - pwd > cwd; echo two >> "$ROOT/log"
        """);
    RunLog log = system.run("boot");

    assertThat(system.lines("log")).containsExactly("one", "two");
    assertThat(system.lines("cwd")).containsExactly(system.root.toRealPath().toString());
    assertThat(log.failures()).isEqualTo(1);
    assertThat(system.output()).contains("elemental run-stage: /oem/10.yaml: stage boot step \"commands\": command"
        + " \"exit 3\" exited 3");
  }

  @Test
  void aStepWhoseIfFailsIsSkippedAndTheNextStepRuns() throws Exception {
    system.oem("10.yaml", """
        stages:
          boot:
            - name: guarded
              if: '[ -e "$ROOT/flag" ]'
              commands: [touch "$ROOT/guarded"]
            - name: next
              if: '[ ! -e "$ROOT/flag" ]'
              commands: [touch "$ROOT/next"]
        """);
    RunLog log = system.run("boot");

    assertThat(system.root.resolve("guarded")).doesNotExist();
    assertThat(system.root.resolve("next")).exists();
    assertThat(log.failures()).isZero();
    assertThat(system.output()).contains("step \"guarded\": skipped: its if (\"[ -e \"$ROOT/flag\" ]\") exited 1");
  }

  @Test
  void hostnameIsWrittenToHostnameAndHostsButNotSetOnTheKernelUnderRoot() throws Exception {
    system.oem("10.yaml", "stages:\n  boot:\n    - hostname: node-1\n");
    system.run("boot");

    assertThat(system.lines("etc/hostname")).containsExactly("node-1");
    assertThat(system.lines("etc/hosts")).containsExactly("127.0.0.1 localhost node-1", "::1\tlocalhost ip6-localhost");
    assertThat(system.output()).contains("the running kernel's is left as it is under --root");
  }

  @Test
  void environmentIsMergedSortedAndQuotedAsGodotenvWritesIt() throws Exception {
    system.write("etc/environment", "PATH=\"/usr/bin\"\n");
    system.oem("10.yaml", """
        stages:
          boot:
            - environment:
                ZED: "a $b \\"c\\""
                COUNT: "007"
                HTTP_PROXY: http://proxy:3128
        """);
    system.run("boot");

    assertThat(system.lines("etc/environment")).containsExactly("COUNT=7", "HTTP_PROXY=\"http://proxy:3128\"",
        "PATH=\"/usr/bin\"", "ZED=\"a \\$b \\\"c\\\"\"");
    assertThat(system.mode("etc/environment")).isEqualTo("rw-r--r--");
  }

  @Test
  void systemctlActsOnTheRootsUnitsAndStartIsOnlyForTheLiveSystem() throws Exception {
    system.recordingScripts();
    system.oem("10.yaml", """
        stages:
          boot:
            - systemctl:
                start: [a.service]
                mask: [b.service]
                disable: [c.service]
                enable: [d.service]
        """);
    system.run("boot");

    String root = "'" + system.root.toAbsolutePath() + "'";
    assertThat(system.scripts).containsExactly("systemctl --root=" + root + " enable d.service",
        "systemctl --root=" + root + " disable c.service", "systemctl --root=" + root + " mask b.service");
    assertThat(system.output()).contains("not applied under --root: systemctl start a.service (only on the live system)");
  }

  @Test
  void sysctlAndModulesAreRecordedAndSkippedUnderRoot() throws Exception {
    system.recordingScripts();
    system.oem("10.yaml", """
        stages:
          boot:
            - name: kernel
              sysctl:
                vm.swappiness: "10"
              modules: [br_netfilter]
        """);
    RunLog log = system.run("boot");

    assertThat(system.scripts).isEmpty();
    assertThat(log.failures()).isZero();
    assertThat(system.output()).contains("step \"kernel\": not applied under --root: sysctl vm.swappiness=10",
        "step \"kernel\": not applied under --root: modprobe br_netfilter",
        "step \"kernel\": modules: yip v1.9.6 has no modules key and ignores it");
  }

  @Test
  void authorizedKeysAreAppendedOnceWithTheUsersOwnership() throws Exception {
    system.write("etc/passwd", String.join("\n", system.lines("etc/passwd")) + "\nops:x:1001:1001::/home/ops:/bin/sh\n");
    Files.createDirectories(system.root.resolve("home/ops/.ssh"));
    system.write("home/ops/.ssh/authorized_keys", "ssh-ed25519 AAAAexisting ops@old\n");
    system.oem("10.yaml", """
        stages:
          boot:
            - authorized_keys:
                ops:
                  - ssh-ed25519 AAAAexisting ops@old
                  - ssh-ed25519 AAAAnew ops@new
                ghost:
                  - ssh-ed25519 AAAAghost
        """);
    RunLog log = system.run("boot");

    assertThat(system.lines("home/ops/.ssh/authorized_keys")).containsExactly("ssh-ed25519 AAAAexisting ops@old",
        "ssh-ed25519 AAAAnew ops@new");
    assertThat(system.owner("home/ops/.ssh/authorized_keys")).isEqualTo("1001:1001");
    assertThat(system.owner("home/ops/.ssh")).isEqualTo("1001:1001");
    assertThat(log.failures()).isEqualTo(1);
    assertThat(system.output()).contains("authorized_keys: ghost: user ghost not found in /etc/passwd");
  }

  @Test
  void stagesRunBeforeThenMainThenAfterAndFilesInPathThenLexicalOrder() throws Exception {
    system.write("system/oem/99_image.yaml", step("boot", "system-99"));
    system.oem("20_b.yaml", step("boot", "oem-20") + step2("boot.after", "after"));
    system.oem("10_a.yml", step("boot", "oem-10"));
    system.oem("sub/15_c.yaml", step("boot", "oem-sub-15"));
    system.oem("05_ignored.txt", step("boot", "not-yaml"));
    system.oem("30_before.yaml", step("boot.before", "before"));
    system.write("usr/local/cloud-config/01.yaml", step("boot", "local-01"));
    system.run("boot");

    // The sub-directory sorts after 30_before.yaml ('s' > '3'): yip walks it where it sorts.
    assertThat(system.lines("order")).containsExactly("before", "system-99", "oem-10", "oem-20", "oem-sub-15",
        "local-01", "after");
  }

  static String step(String stage, String mark) {
    return "stages:\n  " + stage + ":\n    - commands: ['echo " + mark + " >> \"$ROOT/order\"']\n";
  }

  private static String step2(String stage, String mark) {
    return "  " + stage + ":\n    - commands: ['echo " + mark + " >> \"$ROOT/order\"']\n";
  }
}
