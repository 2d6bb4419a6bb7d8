package io.elemental.conformance.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.node.register.MachineFacts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElementalRegisterMainTest {
  @TempDir
  Path dir;

  private final StringWriter console = new StringWriter();

  private static final MachineFacts QEMU = new MachineFacts("5f0e4b1c-9d3a-4e57-8c2b-1a2b3c4d5e6f",
      List.of(new MachineFacts.Nic("enp0s2", "52:54:00:12:34:56", false)),
      Map.of("System Information", Map.of("UUID", "5f0e4b1c-9d3a-4e57-8c2b-1a2b3c4d5e6f")), Map.of(), Map.of(),
      Map.of());

  @Test
  void withoutAConfigItSaysWhereItLookedAndExitsPermanently() {
    int exit = run();

    assertThat(exit).isEqualTo(ElementalRegisterMain.PERMANENT);
    assertThat(lines()).singleElement().asString()
        .startsWith("elemental-register: ERROR: no registration config at " + dir.resolve("live.yaml"))
        .contains("Fix: boot from a seed image");
  }

  @Test
  void aConfigThatIsNotYamlOrHasNoUrlIsPermanent() throws IOException {
    assertThat(run("--config", config("elemental: [unclosed"))).isEqualTo(ElementalRegisterMain.PERMANENT);
    assertThat(run("--config", config("elemental:\n  registration:\n    auth: tpm\n")))
        .isEqualTo(ElementalRegisterMain.PERMANENT);
    assertThat(lines()).hasSize(2).allMatch(line -> line.startsWith("elemental-register: ERROR: "));
    assertThat(lines().get(0)).contains("not valid YAML");
    assertThat(lines().get(1)).contains("no elemental.registration.url").contains("Fix:");
  }

  @Test
  void tpmAuthWithoutATpmDeviceIsReportedOnceNotRetried() throws IOException {
    int exit = run("--config", config(registration("https://10.0.2.2:1/elemental/registration/abc", "tpm")),
        "--tpm-device", dir.resolve("tpmrm0").toString(), "--tries", "5", "--retry-interval", "0");

    assertThat(exit).isEqualTo(ElementalRegisterMain.PERMANENT);
    assertThat(lines()).singleElement().asString()
        .contains("auth: tpm, but this machine has no TPM").contains("emulate-tpm: true");
  }

  @Test
  void anUnknownAuthMethodIsPermanent() throws IOException {
    assertThat(run("--config", config(registration("https://10.0.2.2:1/x/abc", "password"))))
        .isEqualTo(ElementalRegisterMain.PERMANENT);
    assertThat(lines()).singleElement().asString().contains("auth: password is not an Elemental auth method");
  }

  @Test
  void anUnreachableOperatorIsRetriedThenGivenUp() throws IOException {
    String url = "https://127.0.0.1:" + closedPort() + "/elemental/registration/token123456";

    int exit = run("--config", config(registration(url, "mac")), "--state", dir.resolve("state.yaml").toString(),
        "--tries", "2", "--retry-interval", "0");

    assertThat(exit).isEqualTo(ElementalRegisterMain.GAVE_UP);
    assertThat(lines()).hasSize(3);
    assertThat(lines().get(0)).isEqualTo("elemental-register: registering with https://127.0.0.1:"
        + url.split(":")[2].split("/")[0] + "/elemental/registration/toke… (auth: mac, config: "
        + dir.resolve("config.yaml") + ")");
    assertThat(lines().get(1)).startsWith("elemental-register: ERROR: cannot reach the registration endpoint")
        .endsWith("(attempt 1/2, retrying in 0 s)");
    assertThat(lines().get(2)).contains("(gave up after 2 attempts). Fix:");
    assertThat(dir.resolve("state.yaml")).doesNotExist();
  }

  @Test
  void aBadCommandLineGetsTheErrorLineAndUsageExit() {
    assertThat(run("--tries", "many")).isEqualTo(2);
    assertThat(lines()).singleElement().asString().startsWith("elemental-register: ERROR: Invalid value")
        .endsWith("Fix: see elemental-register --help");
  }

  @Test
  void theInventoryNameComesFromTheSystemAgentSecretName() {
    assertThat(ElementalRegisterMain.inventoryName("elemental:\n  system-agent:\n    secret-name: m-5f0e4b1c\n"))
        .isEqualTo("m-5f0e4b1c");
    assertThat(ElementalRegisterMain.inventoryName("elemental: {}\n")).startsWith("(unknown");
  }

  @Test
  void theTokenInTheUrlIsNotPrintedWhole() {
    assertThat(ElementalRegisterMain.redacted("https://10.0.2.2:8443/elemental/registration/abcdefghijkl"))
        .isEqualTo("https://10.0.2.2:8443/elemental/registration/abcd…");
  }

  private int run(String... args) {
    ElementalRegisterMain main = new ElementalRegisterMain(new PrintWriter(console, true), () -> QEMU,
        dir.resolve("live.yaml"));
    return ElementalRegisterMain.commandLine(main, new PrintWriter(console, true)).execute(args);
  }

  private List<String> lines() {
    return new ArrayList<>(console.toString().lines().toList());
  }

  private String config(String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return file.toString();
  }

  private static String registration(String url, String auth) {
    return "elemental:\n  registration:\n    url: " + url + "\n    auth: " + auth + "\n";
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
