package io.elemental.conformance.node.cloudconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code #cloud-config} files, mapped to yip stages as yip v1.9.6's cloud-init loader maps them. */
class CloudInitTest {
  @TempDir Path tmp;
  ScratchSystem system;

  @BeforeEach
  void root() throws Exception {
    system = new ScratchSystem(tmp.resolve("root"));
  }

  @Test
  void usersKeysFilesAndRuncmdAreStageBootAndHostnameIsStageInitramfs() throws Exception {
    system.oem("elemental-cloud-init.yaml", """
        #cloud-config
        users:
          - name: ops
            groups: [users]
            ssh_authorized_keys: [ssh-ed25519 AAAAown]
        ssh_authorized_keys: [ssh-ed25519 AAAAglobal]
        write_files:
          - path: /etc/issue.d/site
            content: site-a
            permissions: "0644"
        runcmd:
          - echo ran > "$ROOT/runcmd"
        hostname: edge-1
        packages: [vim]
        """);
    RunLog boot = system.run("boot");

    assertThat(boot.failures()).isZero();
    assertThat(system.lines("etc/passwd")).contains("ops:x:1000:1000:Created by entities:/home/ops:/bin/sh");
    assertThat(system.lines("etc/group")).contains("users:x:100:ops");
    assertThat(system.lines("home/ops/.ssh/authorized_keys")).containsExactly("ssh-ed25519 AAAAown",
        "ssh-ed25519 AAAAglobal");
    assertThat(system.root.resolve("etc/issue.d/site")).hasContent("site-a");
    assertThat(system.mode("etc/issue.d/site")).isEqualTo("rw-r--r--");
    assertThat(system.lines("runcmd")).containsExactly("ran");
    assertThat(system.lines("etc/hostname")).containsExactly("debian");
    assertThat(system.output()).contains("/oem/elemental-cloud-init.yaml: stage boot step \"0\": cloud-config key"
        + " \"packages\" (line 14) ignored");

    system.run("initramfs");
    assertThat(system.lines("etc/hostname")).containsExactly("edge-1");
  }

  @Test
  void globalKeysGoToRootWhenNoUserIsListedAndStagesOfTheSameFileRunToo() throws Exception {
    system.write("root/.keep", "");
    system.oem("90.yaml", """
        #cloud-config
        ssh_authorized_keys:
          - ssh-rsa AAAAroot
        stages:
          network:
            - commands: ['touch "$ROOT/network-ran"']
        """);
    system.run("boot");
    assertThat(system.lines("root/.ssh/authorized_keys")).containsExactly("ssh-rsa AAAAroot");
    system.run("network");
    assertThat(system.root.resolve("network-ran")).exists();
  }

  @Test
  void writeFilesOwnerIsResolvedInTheRootsAccounts() throws Exception {
    system.oem("90.yaml", """
        #cloud-config
        write_files:
          - path: /srv/owned
            content: x
            owner: daemon:users
            permissions: '600'
        """);
    system.run("boot");
    assertThat(system.owner("srv/owned")).isEqualTo("1:100");
    assertThat(system.mode("srv/owned")).isEqualTo("rw-------");
  }
}
