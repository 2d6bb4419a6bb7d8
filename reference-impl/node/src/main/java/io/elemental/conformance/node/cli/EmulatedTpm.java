package io.elemental.conformance.node.cli;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code emulate-tpm: true} on a real (or virtual) machine: a guest-local swtpm on loopback,
 * its state made by {@code swtpm_setup} under /run.
 *
 * <p>Deliberate difference from the real client: elemental-register emulates the TPM in-process
 * from {@code emulated-tpm-seed}, so the same seed always gives the same EK. swtpm cannot be
 * seeded, and its state lives in /run, so here the EK (and the tpmHash) is new on every boot
 * (the state survives only within one boot). Stable emulated identities are an @sim feature.
 */
final class EmulatedTpm implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(15);

  private final Process swtpm;
  private final int port;

  private EmulatedTpm(Process swtpm, int port) {
    this.swtpm = swtpm;
    this.port = port;
  }

  static EmulatedTpm start(Path stateDir) throws PermanentFailure {
    String swtpmSetup = locate("swtpm_setup");
    String swtpmBinary = locate("swtpm");
    try {
      Files.createDirectories(stateDir);
      Path log = stateDir.resolve("swtpm.log");
      if (!Files.exists(stateDir.resolve("tpm2-00.permall"))) {
        run(List.of(swtpmSetup, "--tpm2", "--tpmstate", stateDir.toString(), "--pcr-banks", "sha256"), log);
      }
      int port = freePair();
      Process process = new ProcessBuilder(swtpmBinary, "socket", "--tpm2",
          "--server", "type=tcp,port=" + port + ",bindaddr=127.0.0.1",
          "--ctrl", "type=tcp,port=" + (port + 1) + ",bindaddr=127.0.0.1",
          "--tpmstate", "dir=" + stateDir, "--flags", "startup-clear")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      EmulatedTpm tpm = new EmulatedTpm(process, port);
      tpm.awaitListening(log);
      return tpm;
    } catch (IOException e) {
      throw new PermanentFailure("emulate-tpm: cannot start swtpm: " + e.getMessage()
          + ". Fix: install swtpm and swtpm-tools in the OS image, or register without emulate-tpm");
    }
  }

  /** Where the TPM client reaches it, in TPM2TOOLS_TCTI syntax. */
  String tcti() {
    return "swtpm:host=127.0.0.1,port=" + port;
  }

  private void awaitListening(Path log) throws PermanentFailure, IOException {
    Instant deadline = Instant.now().plus(READY);
    while (Instant.now().isBefore(deadline)) {
      if (!swtpm.isAlive()) {
        throw new PermanentFailure("emulate-tpm: swtpm exited with code " + swtpm.exitValue() + " (see " + log + ")");
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        try {
          swtpm.waitFor(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new PermanentFailure("interrupted while waiting for swtpm");
        }
      }
    }
    close();
    throw new PermanentFailure("emulate-tpm: swtpm did not listen on 127.0.0.1:" + port + " within " + READY
        + " (see " + log + ")");
  }

  private static void run(List<String> command, Path log) throws IOException, PermanentFailure {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new PermanentFailure("emulate-tpm: " + String.join(" ", command) + " failed (see " + log + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PermanentFailure("interrupted while running swtpm_setup");
    }
  }

  private static int freePair() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket first = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = first.getLocalPort();
        if (port >= 65535) continue;
        try (ServerSocket second = new ServerSocket(port + 1, 1, InetAddress.getLoopbackAddress())) {
          return port;
        } catch (IOException taken) {
          // try another pair
        }
      }
    }
    throw new IOException("no two adjacent free ports on 127.0.0.1");
  }

  private static String locate(String tool) throws PermanentFailure {
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
      File candidate = new File(dir, tool);
      if (candidate.canExecute()) return candidate.getPath();
    }
    throw new PermanentFailure("emulate-tpm: '" + tool + "' is not installed. Fix: add swtpm and swtpm-tools to"
        + " the OS image, or register without emulate-tpm");
  }

  @Override
  public void close() {
    swtpm.destroy();
    try {
      if (!swtpm.waitFor(5, TimeUnit.SECONDS)) swtpm.destroyForcibly();
    } catch (InterruptedException e) {
      swtpm.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
