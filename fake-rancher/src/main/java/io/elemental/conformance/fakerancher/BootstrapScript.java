package io.elemental.conformance.fakerancher;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The bootstrap data of a Machine (its {@code rke.cattle.io/bootstrap} Secret's {@code value}): a shell
 * script that installs Rancher's system agent connected to Rancher, as Rancher's
 * {@code system-agent-install.sh} does. Here, for fake Rancher:
 * <ol>
 *   <li>it checks that Rancher answers, at server-url's {@code /k8s/clusters/local}, with the agent's token
 *       and Rancher's CA, for the Machine's machine-plan Secret; if not it says so and exits 1 having installed
 *       nothing;</li>
 *   <li>it writes the agent's configuration {@code /etc/rancher/agent/config.yaml} (remote plans on, local
 *       plans in {@code /var/lib/rancher/agent/plans}) and its connection
 *       {@code /etc/rancher/agent/rancher2_connection_info.json} ({@code kubeConfig}, {@code namespace},
 *       {@code secretName}: the machine-plan Secret), each made aside and moved into place;</li>
 *   <li>it installs the {@code rancher-system-agent.service} unit (what a machine's init then starts) and
 *       logs each run in {@code /var/log/rancher-system-agent-install.log}.</li>
 * </ol>
 * It does not download the agent binary: on {@code @sim} the agent the unit names is the reference agent,
 * started by the harness from these files.
 */
public final class BootstrapScript {
  public static final String CONFIG = "/etc/rancher/agent/config.yaml";
  public static final String CONNECTION_INFO = "/etc/rancher/agent/rancher2_connection_info.json";
  public static final String UNIT = "/etc/systemd/system/rancher-system-agent.service";
  public static final String INSTALL_LOG = "/var/log/rancher-system-agent-install.log";

  /** How the agent reaches its plan: Rancher's URL and CA, its token, the machine-plan Secret. */
  public record Connection(String serverUrl, String caPem, String token, String namespace, String secretName) {}

  private BootstrapScript() {}

  public static String render(Connection connection, String cluster, String machine) {
    String api = connection.serverUrl().replaceAll("/+$", "") + "/k8s/clusters/local";
    String kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: agent
          user:
            token: %s
        contexts:
        - name: agent
          context:
            cluster: local
            user: agent
        current-context: agent
        """.formatted(api, Base64.getEncoder().encodeToString(connection.caPem().getBytes(StandardCharsets.US_ASCII)),
        connection.token());
    String connectionJson = "{\"kubeConfig\":" + jsonString(kubeconfig) + ",\"namespace\":"
        + jsonString(connection.namespace()) + ",\"secretName\":" + jsonString(connection.secretName()) + "}";
    return """
        #!/bin/sh
        # Rancher's bootstrap data for Machine %2$s of cluster %1$s (fake Rancher):
        # installs rancher-system-agent, connected to Rancher at %3$s.
        set -eu
        MACHINE='%2$s'
        API='%4$s'
        SECRET_URL="$API/api/v1/namespaces/%5$s/secrets/%6$s"
        mkdir -p /var/log /var/lib/rancher/agent
        STAGE=/var/lib/rancher/agent/.install.$$
        rm -rf "$STAGE"; mkdir -p "$STAGE"; chmod 700 "$STAGE"
        trap 'rm -rf "$STAGE"' EXIT
        echo "rancher-system-agent install for Machine $MACHINE: started" >> %9$s
        cat > "$STAGE/ca.pem" <<'CA_EOF'
        %7$sCA_EOF
        # Rancher first: with no answer nothing is installed.
        if ! curl -sS -f --max-time 10 --cacert "$STAGE/ca.pem" -H 'Authorization: Bearer %8$s' -o /dev/null "$SECRET_URL" 2>"$STAGE/curl.err"; then
          echo "cannot reach Rancher at $API for Machine $MACHINE: $(cat "$STAGE/curl.err")"
          echo "rancher-system-agent install for Machine $MACHINE: failed, Rancher unreachable" >> %9$s
          exit 1
        fi
        cat > "$STAGE/config.yaml" <<'CONFIG_EOF'
        workDirectory: /var/lib/rancher/agent/work
        localPlanDirectory: /var/lib/rancher/agent/plans
        appliedPlanDirectory: /var/lib/rancher/agent/applied
        remoteEnabled: true
        localEnabled: false
        connectionInfoFile: %11$s
        preserveWorkDirectory: false
        CONFIG_EOF
        cat > "$STAGE/rancher2_connection_info.json" <<'CONNECTION_EOF'
        %10$s
        CONNECTION_EOF
        cat > "$STAGE/rancher-system-agent.service" <<'UNIT_EOF'
        [Unit]
        Description=Rancher System Agent
        Wants=network-online.target
        After=network-online.target

        [Service]
        Environment=CATTLE_AGENT_CONFIG=%12$s
        ExecStart=/usr/local/bin/rancher-system-agent sentinel
        Restart=always
        RestartSec=5s

        [Install]
        WantedBy=multi-user.target
        UNIT_EOF
        mkdir -p /etc/rancher/agent /etc/systemd/system
        chmod 600 "$STAGE/rancher2_connection_info.json"
        mv "$STAGE/config.yaml" %12$s
        mv "$STAGE/rancher2_connection_info.json" %11$s
        mv "$STAGE/rancher-system-agent.service" %13$s
        echo "rancher-system-agent install for Machine $MACHINE: installed" >> %9$s
        echo "rancher-system-agent installed for Machine $MACHINE, connected to $API"
        """.formatted(cluster, machine, connection.serverUrl(), api, connection.namespace(), connection.secretName(),
        connection.caPem().endsWith("\n") ? connection.caPem() : connection.caPem() + "\n", connection.token(),
        INSTALL_LOG, connectionJson, CONNECTION_INFO, CONFIG, UNIT);
  }

  static String jsonString(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
        }
      }
    }
    return out.append('"').toString();
  }
}
