package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scratch root standing for a machine's {@code /}: a Debian-like account database, hosts and
 * hostname, and whatever cloud-config a test puts in {@code /oem}. Stages run against it with the
 * real shell (commands run in the root with {@code ROOT} set) and a chown that is recorded, so
 * tests need not run as root.
 */
final class ScratchSystem {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T08:00:00Z"), ZoneOffset.UTC);
  /** Days since 1970 on {@link #CLOCK}: the shadow "last changed" field. */
  static final String DAYS = Long.toString(CLOCK.millis() / 86_400_000L);

  final Path root;
  final Map<Path, String> owners = new LinkedHashMap<>();
  final List<String> scripts = new ArrayList<>();
  private Shell shell;
  private final StringWriter output = new StringWriter();

  ScratchSystem(Path root) throws IOException {
    this.root = root;
    this.shell = Shell.forRoot(SystemRoot.at(root));
    Files.createDirectories(root.resolve("etc/default"));
    Files.createDirectories(root.resolve("home"));
    Files.createDirectories(root.resolve("oem"));
    write("etc/passwd", """
        root:x:0:0:root:/root:/bin/bash
        daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
        nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
        """);
    write("etc/group", """
        root:x:0:
        daemon:x:1:
        sudo:x:27:
        users:x:100:
        nogroup:x:65534:
        """);
    write("etc/shadow", """
        root:*:19000:0:99999:7:::
        daemon:*:19000:0:99999:7:::
        nobody:*:19000:0:99999:7:::
        """);
    Files.setPosixFilePermissions(root.resolve("etc/shadow"), PosixFilePermissions.fromString("rw-r-----"));
    write("etc/hosts", "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n");
    write("etc/hostname", "debian\n");
    write("etc/default/useradd", "# defaults\nSHELL=/bin/sh\n# HOME=/home\n");
  }

  ScratchSystem write(String path, String content) throws IOException {
    Path file = root.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return this;
  }

  /** A cloud-config file at {@code /oem/<name>}. */
  ScratchSystem oem(String name, String content) throws IOException {
    return write("oem/" + name, content);
  }

  /** Scripts are recorded and succeed instead of running (for systemctl, modprobe, hostname). */
  ScratchSystem recordingScripts() {
    shell = script -> {
      scripts.add(script);
      return new Shell.Result(0, "");
    };
    return this;
  }

  Target target() {
    Ownership recording = (path, uid, gid) -> owners.put(path, uid + ":" + gid);
    return new Target(SystemRoot.at(root), shell, recording);
  }

  /** Runs {@code stage} as {@code elemental run-stage --root}; returns the log. */
  RunLog run(String stage) {
    RunLog log = new RunLog(new PrintWriter(output, true));
    SystemRoot system = SystemRoot.at(root);
    new StageRunner(target(), log, CLOCK).run(stage, ConfigPaths.resolve(system, ConfigPaths.of(system, List.of(), log)));
    return log;
  }

  String output() {
    return output.toString();
  }

  List<String> lines(String path) throws IOException {
    return Files.readAllLines(root.resolve(path));
  }

  String mode(String path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(path)));
  }

  String owner(String path) {
    return owners.get(root.resolve(path));
  }
}
