package io.elemental.conformance.node.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConnectionTest {
  private static final String ANSWER = """
      elemental:
        registration:
          url: https://rancher.example/elemental/registration/abc
          ca-cert: |
            -----BEGIN CERTIFICATE-----
            MIIB
            -----END CERTIFICATE-----
        system-agent:
          url: https://rancher.example/k8s/clusters/local
          token: t0ken
          secret-name: m-1
          secret-namespace: fleet-default
      """;

  @TempDir Path tmp;

  @Test
  void fromTheRegistrationAnswerAndBackThroughElementalConnectionJson() throws Exception {
    AgentConnection connection = AgentConnection.fromRegistrationAnswer(ANSWER);
    assertThat(connection.server()).isEqualTo(URI.create("https://rancher.example/k8s/clusters/local"));
    assertThat(connection.caPem()).contains("BEGIN CERTIFICATE");
    Path file = tmp.resolve("agent/elemental_connection.json");
    connection.write(file);
    assertThat(Files.readString(file)).contains("\"kubeConfig\"", "\"secretName\" : \"m-1\"");
    // It holds a token: owner-only.
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(AgentConnection.read(file)).isEqualTo(connection);
  }

  @Test
  void anAnswerWithoutTheAgentSectionSaysWhatIsMissing() {
    assertThatThrownBy(() -> AgentConnection.fromRegistrationAnswer("elemental: {}"))
        .hasMessageContaining("elemental.system-agent.url");
  }
}
