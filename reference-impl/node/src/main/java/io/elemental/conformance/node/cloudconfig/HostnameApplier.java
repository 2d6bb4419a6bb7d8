package io.elemental.conformance.node.cloudconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * {@code hostname}, as yip's {@code Hostname}: {@code {{.UUID}}}, {@code {{.MachineID}}} and
 * {@code {{.Random}}} filled in; the running kernel's hostname set (live system only);
 * {@code /etc/hostname} written; every {@code 127.0.0.1} line of {@code /etc/hosts} made
 * {@code 127.0.0.1 localhost <name>}. Each part that fails is reported; the others still happen.
 */
final class HostnameApplier implements StepApplier {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  private static final SecureRandom RANDOM = new SecureRandom();

  @Override
  public String key() {
    return "hostname";
  }

  @Override
  public void apply(Step step, StepContext context) throws IOException {
    if (step.hostname().isEmpty()) return;
    SystemRoot root = context.root();
    String name = render(step.hostname(), root);
    if (root.live()) {
      Shell.Result set = context.target().shell().run("hostname " + Shell.quote(name));
      if (set.exitCode() != 0) context.fail("hostname: cannot set it on the running system" + CommandsApplier.tail(set.output()));
    } else {
      context.note("hostname " + name + " written to /etc/hostname and /etc/hosts; the running kernel's is left as"
          + " it is under --root");
    }
    try {
      AtomicFiles.replace(root.resolve("/etc/hostname"), (name + "\n").getBytes(StandardCharsets.UTF_8), 0644);
    } catch (IOException e) {
      context.fail("hostname: /etc/hostname: " + Reasons.of(e));
    }
    try {
      updateHosts(root.resolve("/etc/hosts"), name);
    } catch (NoSuchFileException e) {
      context.fail("hostname: /etc/hosts does not exist");
    } catch (IOException e) {
      context.fail("hostname: /etc/hosts: " + Reasons.of(e));
    }
  }

  private static void updateHosts(Path hosts, String name) throws IOException {
    StringBuilder content = new StringBuilder();
    for (String raw : Files.readAllLines(hosts, StandardCharsets.UTF_8)) {
      String line = raw.strip();
      String[] fields = line.split("\\s+");
      if (!line.isEmpty() && fields[0].equals("127.0.0.1")) {
        content.append("127.0.0.1 localhost ").append(name).append('\n');
      } else {
        content.append(line).append('\n');
      }
    }
    AtomicFiles.replace(hosts, content.toString().getBytes(StandardCharsets.UTF_8), 0600);
  }

  /** The three values yip's hostname template knows; anything else is left as written. */
  static String render(String template, SystemRoot root) throws IOException {
    String out = template;
    if (out.matches("(?s).*\\{\\{\\s*\\.UUID\\s*}}.*")) out = out.replaceAll("\\{\\{\\s*\\.UUID\\s*}}", UUID.randomUUID().toString());
    if (out.matches("(?s).*\\{\\{\\s*\\.MachineID\\s*}}.*")) out = out.replaceAll("\\{\\{\\s*\\.MachineID\\s*}}", machineId(root));
    if (out.matches("(?s).*\\{\\{\\s*\\.Random\\s*}}.*")) out = out.replaceAll("\\{\\{\\s*\\.Random\\s*}}", random());
    return out;
  }

  private static String machineId(SystemRoot root) throws IOException {
    for (String file : new String[] {"/etc/machine-id", "/var/lib/dbus/machine-id"}) {
      Path path = root.resolve(file);
      if (Files.isRegularFile(path)) return Files.readString(path, StandardCharsets.UTF_8).strip();
    }
    return "";
  }

  private static String random() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 32; i++) out.append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
    return out.toString();
  }
}
