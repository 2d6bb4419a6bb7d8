package io.elemental.conformance.node.cloudconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code users}: the account files of the root edited as yip's entities library edits them. */
class UsersTest {
  @TempDir Path tmp;
  ScratchSystem system;

  @BeforeEach
  void root() throws Exception {
    system = new ScratchSystem(tmp.resolve("root"));
  }

  @Test
  void aNewUserGetsItsGroupIdsHomeShadowLineKeysAndGroups() throws Exception {
    system.oem("10.yaml", """
        stages:
          boot:
            - name: users
              users:
                zoe:
                  groups: [sudo, missing]
                  lock_passwd: true
                  ssh_authorized_keys: [ssh-ed25519 AAAAzoe zoe@laptop]
                ada:
                  passwd: secret
                  gecos: Ada
                  shell: /bin/bash
                  uid: "1500"
        """);
    RunLog log = system.run("boot");

    assertThat(log.failures()).isZero();
    // Users in name order: ada first, so her group takes gid 1000; zoe gets the next free ones.
    assertThat(system.lines("etc/passwd")).contains("ada:x:1500:1000:Ada:/home/ada:/bin/bash",
        "zoe:x:1000:1001:Created by entities:/home/zoe:/bin/sh");
    assertThat(system.lines("etc/group")).contains("ada:x:1000:ada", "zoe:x:1001:zoe", "sudo:x:27:zoe");
    assertThat(system.lines("etc/shadow")).contains("zoe:!:" + ScratchSystem.DAYS + "::::::");
    String ada = system.lines("etc/shadow").stream().filter(l -> l.startsWith("ada:")).findFirst().orElseThrow();
    assertThat(ada).matches("ada:\\$6\\$[./0-9A-Za-z]{8}\\$[./0-9A-Za-z]{86}:" + ScratchSystem.DAYS + "::::::");
    assertThat(system.mode("etc/shadow")).isEqualTo("rw-r-----");
    assertThat(system.mode("home/zoe")).isEqualTo("rwxr-xr-x");
    assertThat(system.owner("home/zoe")).isEqualTo("1000:1001");
    assertThat(system.lines("home/zoe/.ssh/authorized_keys")).containsExactly("ssh-ed25519 AAAAzoe zoe@laptop");
    assertThat(system.mode("home/zoe/.ssh")).isEqualTo("rwx------");
    assertThat(system.mode("home/zoe/.ssh/authorized_keys")).isEqualTo("rw-------");
  }

  @Test
  void anExistingUserKeepsItsEntryAndGetsItsKeysAndNewPassword() throws Exception {
    system.write("etc/passwd", String.join("\n", system.lines("etc/passwd")) + "\nops:x:1001:1001:Ops:/home/ops:/bin/sh\n");
    system.write("etc/shadow", String.join("\n", system.lines("etc/shadow")) + "\nops:$6$old$hash:19000:0:99999:7:::\n");
    Files.createDirectories(system.root.resolve("home/ops"));
    system.oem("10.yaml", """
        stages:
          boot:
            - name: ops again
              users:
                ops:
                  passwd: "$6$new$hash"
                  groups: [sudo]
                  shell: /bin/zsh
                  ssh_authorized_keys: [ssh-ed25519 AAAAops]
        """);
    RunLog log = system.run("boot");

    assertThat(log.failures()).isZero();
    assertThat(system.lines("etc/passwd")).contains("ops:x:1001:1001:Ops:/home/ops:/bin/sh");
    assertThat(system.lines("etc/group")).contains("sudo:x:27:");
    assertThat(system.lines("etc/shadow")).contains("ops:$6$new$hash:" + ScratchSystem.DAYS + "::::::");
    assertThat(system.lines("home/ops/.ssh/authorized_keys")).containsExactly("ssh-ed25519 AAAAops");
    assertThat(system.output()).contains("/oem/10.yaml: stage boot step \"ops again\": user ops exists: password"
        + " replaced, SSH keys merged");
  }

  @Test
  void aMissingPrimaryGroupFailsThatUserOnlyAndNothingIsHalfWritten() throws Exception {
    system.oem("10.yaml", """
        stages:
          boot:
            - name: two users
              users:
                bad:
                  primary_group: nosuchgroup
                good:
                  primary_group: users
        """);
    RunLog log = system.run("boot");

    assertThat(log.failures()).isEqualTo(1);
    assertThat(system.output()).contains("step \"two users\": users: bad: could not resolve primary group of user:"
        + " nosuchgroup is not in /etc/group");
    assertThat(system.lines("etc/passwd")).noneMatch(l -> l.startsWith("bad:"))
        .contains("good:x:1000:100:Created by entities:/home/good:/bin/sh");
    assertThat(system.lines("etc/group")).contains("users:x:100:good");
  }

  @Test
  void withoutAShadowFileNoAccountFileIsTouched() throws Exception {
    Files.delete(system.root.resolve("etc/shadow"));
    String passwd = Files.readString(system.root.resolve("etc/passwd"));
    system.oem("10.yaml", "stages:\n  boot:\n    - users:\n        kim: {}\n");
    RunLog log = system.run("boot");

    assertThat(log.failures()).isEqualTo(1);
    assertThat(system.output()).contains("users: kim: /etc/shadow does not exist");
    assertThat(system.root.resolve("etc/passwd")).hasContent(passwd);
  }

  @Test
  void sha512CryptMatchesTheSchemesReferenceVector() {
    // From Drepper's "Unix crypt using SHA-256 and SHA-512", the first SHA-512 test vector.
    assertThat(Sha512Crypt.hash("Hello world!", "saltstring")).isEqualTo("$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHW"
        + "jl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1");
  }
}
