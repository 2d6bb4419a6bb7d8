package io.elemental.conformance.node.tpm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The TPM address in tpm2-tss's TCTI syntax, so the public config (TPM2TOOLS_TCTI, the strings
 * the harness hands out) stays as it was: {@code swtpm:host=H,port=P} for swtpm's TCP data
 * channel (raw TPM commands) and {@code device:/dev/tpmrm0} for a kernel character device.
 */
record Tcti(String kind, String host, int port, String device) {
  /** tpm2-tss's defaults for an empty config. */
  static final String DEFAULT_HOST = "localhost";
  static final int DEFAULT_PORT = 2321;
  static final String DEFAULT_DEVICE = "/dev/tpm0";

  static Tcti parse(String tcti) {
    String text = tcti == null ? "" : tcti.strip();
    int colon = text.indexOf(':');
    String kind = colon < 0 ? text : text.substring(0, colon);
    String config = colon < 0 ? "" : text.substring(colon + 1);
    switch (kind) {
      case "swtpm":
        Map<String, String> options = options(tcti, config);
        String host = options.getOrDefault("host", DEFAULT_HOST);
        int port = DEFAULT_PORT;
        if (options.containsKey("port")) {
          try {
            port = Integer.parseInt(options.get("port"));
          } catch (NumberFormatException e) {
            port = -1;
          }
          if (port <= 0 || port > 65535) throw invalid(tcti, "port must be a number from 1 to 65535");
        }
        return new Tcti(kind, host, port, null);
      case "device":
        return new Tcti(kind, null, 0, config.isBlank() ? DEFAULT_DEVICE : config);
      default:
        throw invalid(tcti, "only the 'swtpm:host=...,port=...' and 'device:/dev/tpmrm0' TCTIs are supported"
            + " (this client speaks the TPM command protocol itself; tabrmd and mssim are not implemented)");
    }
  }

  TpmTransport open() {
    return kind.equals("swtpm") ? SwtpmSocket.connect(host, port) : TpmDevice.open(device);
  }

  @Override
  public String toString() {
    return kind.equals("swtpm") ? "swtpm:host=" + host + ",port=" + port : "device:" + device;
  }

  private static Map<String, String> options(String tcti, String config) {
    Map<String, String> options = new LinkedHashMap<>();
    if (config.isBlank()) return options;
    for (String part : config.split(",")) {
      int equals = part.indexOf('=');
      if (equals <= 0) throw invalid(tcti, "expected key=value, got '" + part + "'");
      String key = part.substring(0, equals).strip();
      if (!key.equals("host") && !key.equals("port")) throw invalid(tcti, "unknown option '" + key + "'");
      options.put(key, part.substring(equals + 1).strip());
    }
    return options;
  }

  private static IllegalArgumentException invalid(String tcti, String why) {
    return new IllegalArgumentException("TPM TCTI '" + tcti + "' is not usable: " + why
        + ". Fix: set TPM2TOOLS_TCTI to e.g. swtpm:host=127.0.0.1,port=2321 or device:/dev/tpmrm0");
  }
}
