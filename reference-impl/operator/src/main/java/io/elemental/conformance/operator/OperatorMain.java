package io.elemental.conformance.operator;

import io.elemental.conformance.operator.crd.ElementalCrds;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the reference operator on its own against any cluster, or prints its CRDs. */
@Command(name = "elemental-operator", mixinStandardHelpOptions = true,
    description = "The reference Elemental operator (Java).",
    subcommands = {OperatorMain.Run.class, OperatorMain.Crds.class})
public final class OperatorMain {

  public static void main(String[] args) {
    System.exit(new CommandLine(new OperatorMain()).execute(args));
  }

  @Command(name = "run", description = "Install the CRDs and run the controllers until interrupted.")
  static final class Run implements Callable<Integer> {
    @Option(names = "--kubeconfig", description = "Kubeconfig file (default: $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--skip-crds", description = "Do not install or update the CRDs.")
    boolean skipCrds;

    @Option(names = "--registration-port", defaultValue = "9443",
        description = "HTTPS port of the registration endpoint (default: ${DEFAULT-VALUE}).")
    int registrationPort;

    @Option(names = "--hostname", description = "A name or IP machines use to reach the endpoint (repeatable).")
    List<String> hostnames = new ArrayList<>();

    @Option(names = "--seed-image-dir", description = "Where seed images are built, cached and served from"
        + " (default: $ELEMENTAL_CACHE/seed or ~/.cache/elemental-harness/seed).")
    Path seedImageDir;

    @Option(names = "--log-level", defaultValue = "info",
        description = "Root log level: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    LogLevel logLevel;

    @Override
    public Integer call() throws Exception {
      logLevel.apply();
      try (KubernetesClient client = client(kubeconfig)) {
        if (!skipCrds) {
          ElementalOperator.installCrds(client);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (ElementalOperator elemental = ElementalOperator.start(client, registrationPort, hostnames,
            seedImageDir != null ? seedImageDir : ElementalOperator.defaultSeedImageDir())) {
          System.out.println("registration endpoint: " + elemental.registrationBaseUrl()
              + "/elemental/registration/<token>; its CA:\n" + elemental.registrationCaPem());
          Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
          stopped.await();
        }
      }
      return 0;
    }
  }

  @Command(name = "crds", description = "Print the CRDs as YAML (pipe to kubectl apply -f -).")
  static final class Crds implements Callable<Integer> {
    @Override
    public Integer call() {
      System.out.print(ElementalCrds.asYaml());
      return 0;
    }
  }

  static KubernetesClient client(Path kubeconfig) throws IOException {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    if (!Files.isReadable(kubeconfig)) {
      throw new CommandLine.ParameterException(new CommandLine(new Run()),
          "kubeconfig " + kubeconfig + " does not exist or is not readable");
    }
    Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
