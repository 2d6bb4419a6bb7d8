package io.elemental.conformance.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.elemental.conformance.node.register.MachineFacts;
import io.elemental.conformance.node.toolkit.GrubEnv;
import io.elemental.conformance.node.toolkit.InstalledDisks;
import io.elemental.conformance.node.toolkit.Partitions;
import io.elemental.conformance.node.toolkit.RunningSystem;
import io.elemental.conformance.node.toolkit.Snapshots;
import io.elemental.conformance.node.toolkit.simulated.SimulatedDisk;
import io.elemental.conformance.node.toolkit.simulated.SimulatedFirmware;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code elemental-register --reset}: what the recovery system runs for the operator's reset plan. */
class ElementalRegisterResetTest {
  private static final MachineFacts QEMU = new MachineFacts("5f0e4b1c-9d3a-4e57-8c2b-1a2b3c4d5e6f",
      List.of(new MachineFacts.Nic("enp0s2", "52:54:00:12:34:56", false)), Map.of(), Map.of(), Map.of(), Map.of());

  @TempDir Path dir;
  private final StringWriter console = new StringWriter();
  private final AtomicBoolean rebooted = new AtomicBoolean();

  @Test
  void outsideRecoveryItRefusesAndTouchesNothing() throws IOException {
    SimulatedDisk disk = installedDisk();
    int exit = run(disk, "active", "--reset", "--config", config("http://127.0.0.1:1/elemental/registration/t"));

    assertThat(exit).isEqualTo(ElementalRegisterMain.PERMANENT);
    assertThat(console.toString()).contains("elemental-register: ERROR: --reset runs in the recovery system, but this"
        + " machine booted active").contains("Fix:");
    assertThat(new Snapshots(disk.fs("COS_STATE")).ids()).containsExactly(1);
    assertThat(rebooted).isFalse();
  }

  @Test
  void aRegistrationNoLongerServedResetsNothing() throws IOException {
    SimulatedDisk disk = installedDisk();
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    int exit = run(disk, "recovery", "--reset", "--config",
        config("http://127.0.0.1:" + port + "/elemental/registration/t"), "--tries", "2", "--retry-interval", "0");

    assertThat(exit).isEqualTo(ElementalRegisterMain.GAVE_UP);
    assertThat(console.toString()).contains("(gave up after 2 attempts; nothing was reset)");
    assertThat(new Snapshots(disk.fs("COS_STATE")).ids()).containsExactly(1);
    assertThat(rebooted).isFalse();
  }

  @Test
  void inRecoveryItResetsAsTheLastAnswerSaysThenReboots() throws IOException {
    SimulatedDisk disk = installedDisk();
    Path oem = disk.fs("COS_OEM");
    Files.writeString(oem.resolve("reset-cloud-config.yaml"), "name: \"Elemental reset\"\n");
    GrubEnv.read(oem.resolve("grubenv")).set("next_entry", "recovery").write();
    Path answer = dir.resolve("config-reply.yaml");
    Files.writeString(answer, "elemental:\n  reset:\n    enabled: true\n    reset-persistent: true\n    reset-oem: true\n");
    HttpServer endpoint = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    endpoint.createContext("/elemental/registration/t", exchange -> {
      byte[] body = "elemental:\n  registration:\n    url: x\n".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    endpoint.start();
    try {
      String config = config("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/elemental/registration/t");
      int exit = run(disk, "recovery", "--reset", "--config", config, "--reply", answer.toString());

      assertThat(exit).as("exit; console:\n%s", console).isZero();
      assertThat(console.toString()).contains("elemental-register: resetting from recovery (reset-persistent: true,"
          + " reset-oem: true)").contains("elemental-register: reset from recovery: snapshot 2 made from the recovery"
          + " image is active");
      assertThat(rebooted).isTrue();
      assertThat(new Snapshots(disk.fs("COS_STATE")).active()).hasValue(2);
      assertThat(oem.resolve("registration/config.yaml")).hasSameBinaryContentAs(Path.of(config));
      assertThat(oem.resolve("reset-cloud-config.yaml")).doesNotExist();
      assertThat(SimulatedFirmware.boot(disk, dir.resolve("root")).entry()).isEqualTo("active");
    } finally {
      endpoint.stop(0);
    }
  }

  private int run(SimulatedDisk disk, String booted, String... args) {
    ElementalRegisterMain main = new ElementalRegisterMain(new PrintWriter(console, true), () -> QEMU,
        dir.resolve("live.yaml"));
    main.resetSystem = () -> new RunningSystem() {
      @Override
      public Partitions partitions() {
        return disk.open();
      }

      @Override
      public String bootedEntry() {
        return booted;
      }

      @Override
      public void reboot() {
        rebooted.set(true);
      }
    };
    return ElementalRegisterMain.commandLine(main, new PrintWriter(console, true)).execute(args);
  }

  private String config(String url) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "elemental:\n  registration:\n    url: " + url + "\n    auth: tpm\n");
    return file.toString();
  }

  private SimulatedDisk installedDisk() throws IOException {
    return InstalledDisks.minimal(dir, Map.of("registration/config.yaml", "url: x\n".getBytes()));
  }
}
