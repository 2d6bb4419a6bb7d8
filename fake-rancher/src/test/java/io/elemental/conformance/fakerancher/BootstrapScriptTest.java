package io.elemental.conformance.fakerancher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapScriptTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  private static String script() {
    return BootstrapScript.render(new BootstrapScript.Connection("https://rancher.example:8443/", CA, "tok\"en",
        "fleet-default", "edge-workers-1-machine-plan"), "edge", "edge-workers-1");
  }

  @Test
  void isAShellScriptTheShellAccepts(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bootstrap.sh");
    Files.writeString(file, script());
    Process sh = new ProcessBuilder("sh", "-n", file.toString()).redirectErrorStream(true).start();
    String out = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(sh.waitFor()).as("sh -n: %s", out).isZero();
    assertThat(script()).startsWith("#!/bin/sh\n")
        .contains("API='https://rancher.example:8443/k8s/clusters/local'")
        .contains("/api/v1/namespaces/fleet-default/secrets/edge-workers-1-machine-plan");
  }

  @Test
  void carriesTheAgentsConnectionAsJson() throws Exception {
    String text = script();
    int start = text.indexOf("<<'CONNECTION_EOF'\n") + "<<'CONNECTION_EOF'\n".length();
    String json = text.substring(start, text.indexOf("\nCONNECTION_EOF", start));
    JsonNode connection = new ObjectMapper().readTree(json);
    assertThat(connection.path("namespace").asText()).isEqualTo("fleet-default");
    assertThat(connection.path("secretName").asText()).isEqualTo("edge-workers-1-machine-plan");
    assertThat(connection.path("kubeConfig").asText()).contains("server: https://rancher.example:8443/k8s/clusters/local")
        .contains("token: tok\"en");
  }
}
