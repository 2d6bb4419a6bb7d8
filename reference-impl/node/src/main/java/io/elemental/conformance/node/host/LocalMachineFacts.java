package io.elemental.conformance.node.host;

import io.elemental.conformance.node.register.MachineFacts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The facts of the machine this JVM runs on, as the real register client gathers them:
 * SMBIOS from {@code dmidecode} (or, without it, the kernel's {@code /sys/class/dmi/id}),
 * network interfaces from {@code /sys/class/net}, {@code /etc/os-release}, and a small
 * system-data tree. {@code root} is "/" on a machine and a prepared folder in tests.
 */
public final class LocalMachineFacts {
  /** dmidecode's "not set" placeholders; the operator refuses them as a sys-uuid. */
  private static final List<String> UNSET = List.of("", "Not Settable", "Not Specified", "Not Present", "None",
      "Unspecified", "To Be Filled By O.E.M.");

  private final Path root;
  private final Optional<String> dmidecodeOutput;

  /** {@code dmidecodeOutput}: dmidecode's text, or empty when it could not run. */
  public LocalMachineFacts(Path root, Optional<String> dmidecodeOutput) {
    this.root = root;
    this.dmidecodeOutput = dmidecodeOutput;
  }

  /** The running machine: runs {@code dmidecode} (needs root for the SMBIOS tables). */
  public static LocalMachineFacts ofThisMachine() {
    return new LocalMachineFacts(Path.of("/"), runDmidecode());
  }

  public MachineFacts gather() {
    Map<String, Object> smbios = dmidecodeOutput.map(Dmidecode::parse).filter(m -> !m.isEmpty())
        .orElseGet(this::smbiosFromSysfs);
    List<MachineFacts.Nic> nics = nics();
    return new MachineFacts(uuid(smbios), nics, smbios, systemData(nics),
        OsRelease.read(root.resolve("etc/os-release")), Map.of());
  }

  private String uuid(Map<String, Object> smbios) {
    Object system = smbios.get("System Information");
    String uuid = system instanceof Map<?, ?> fields && fields.get("UUID") instanceof String s ? s : null;
    if (uuid == null || UNSET.contains(uuid)) uuid = sysfs("class/dmi/id/product_uuid");
    return UNSET.contains(uuid) ? "" : uuid;
  }

  /** The same keys dmidecode prints, from the kernel's copy of the SMBIOS strings. */
  private Map<String, Object> smbiosFromSysfs() {
    Map<String, Object> smbios = new LinkedHashMap<>();
    smbios.put("BIOS Information", fields("Vendor", "bios_vendor", "Version", "bios_version",
        "Release Date", "bios_date"));
    smbios.put("System Information", fields("Manufacturer", "sys_vendor", "Product Name", "product_name",
        "Version", "product_version", "Serial Number", "product_serial", "UUID", "product_uuid",
        "SKU Number", "product_sku", "Family", "product_family"));
    smbios.put("Base Board Information", fields("Manufacturer", "board_vendor", "Product Name", "board_name",
        "Version", "board_version", "Serial Number", "board_serial", "Asset Tag", "board_asset_tag"));
    smbios.put("Chassis Information", fields("Manufacturer", "chassis_vendor", "Version", "chassis_version",
        "Serial Number", "chassis_serial", "Asset Tag", "chassis_asset_tag"));
    smbios.values().removeIf(section -> ((Map<?, ?>) section).isEmpty());
    return smbios;
  }

  private Map<String, Object> fields(String... keyAndFile) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < keyAndFile.length; i += 2) {
      String value = sysfs("class/dmi/id/" + keyAndFile[i + 1]);
      if (!value.isEmpty()) fields.put(keyAndFile[i], value);
    }
    return fields;
  }

  /** Interfaces with a MAC; "virtual" ones (lo, bridges, veths) live under /sys/devices/virtual. */
  List<MachineFacts.Nic> nics() {
    Path net = root.resolve("sys/class/net");
    List<MachineFacts.Nic> nics = new ArrayList<>();
    if (!Files.isDirectory(net)) return nics;
    try (Stream<Path> entries = Files.list(net)) {
      for (Path entry : entries.sorted().toList()) {
        String mac = read(entry.resolve("address"));
        if (mac.isEmpty()) continue;
        boolean virtual = entry.getFileName().toString().equals("lo")
            || entry.toRealPath().toString().contains("/devices/virtual/");
        nics.add(new MachineFacts.Nic(entry.getFileName().toString(), mac, virtual));
      }
    } catch (IOException e) {
      // Unreadable /sys: report what was found so far; auth: mac then explains what is missing.
    }
    return nics;
  }

  private Map<String, Object> systemData(List<MachineFacts.Nic> nics) {
    Map<String, Object> data = new LinkedHashMap<>();
    Map<String, Object> byName = new LinkedHashMap<>();
    nics.stream().filter(nic -> !nic.virtual())
        .forEach(nic -> byName.put(nic.name(), Map.of("Name", nic.name(), "MacAddress", nic.mac())));
    data.put("Network", Map.of("TotalNICs", String.valueOf(byName.size()), "NICs", byName));
    String hostname = read(root.resolve("proc/sys/kernel/hostname"));
    if (!hostname.isEmpty()) data.put("Runtime", Map.of("Hostname", hostname));
    String cpuinfo = read(root.resolve("proc/cpuinfo"));
    long cores = cpuinfo.lines().filter(l -> l.startsWith("processor")).count();
    String model = cpuinfo.lines().filter(l -> l.startsWith("model name")).findFirst()
        .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
    if (cores > 0) data.put("CPU", Map.of("TotalThreads", String.valueOf(cores), "Model", model));
    read(root.resolve("proc/meminfo")).lines().filter(l -> l.startsWith("MemTotal:")).findFirst()
        .map(l -> l.replaceAll("\\D", ""))
        .ifPresent(kb -> data.put("Memory", Map.of("TotalPhysicalBytes", String.valueOf(Long.parseLong(kb) * 1024))));
    return data;
  }

  private String sysfs(String relative) {
    return read(root.resolve("sys").resolve(relative));
  }

  private static String read(Path file) {
    try {
      return Files.isReadable(file) ? Files.readString(file, StandardCharsets.UTF_8).trim() : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static Optional<String> runDmidecode() {
    for (String candidate : List.of("/usr/sbin/dmidecode", "/sbin/dmidecode", "/usr/bin/dmidecode")) {
      if (!Files.isExecutable(Path.of(candidate))) continue;
      try {
        Process process = new ProcessBuilder(candidate).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) return Optional.of(out);
      } catch (IOException e) {
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
