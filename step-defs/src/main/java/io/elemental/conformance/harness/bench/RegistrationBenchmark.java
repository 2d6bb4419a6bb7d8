package io.elemental.conformance.harness.bench;

import io.elemental.conformance.api.v1beta1.Config;
import io.elemental.conformance.api.v1beta1.ElementalConfig;
import io.elemental.conformance.api.v1beta1.MachineInventory;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.api.v1beta1.RegistrationConfig;
import io.elemental.conformance.harness.ConformanceEnvironment;
import io.elemental.conformance.harness.machine.SeedImages;
import io.elemental.conformance.harness.machine.SimulatedMachine;
import io.elemental.conformance.harness.support.Timeouts;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Registrations per second and latency percentiles for N simulated machines against the
 * reference operator on the configured cluster, beside the raw rate of creating the same
 * Kubernetes objects (a MachineInventory and its plan Secret) straight with the client, which
 * bounds what any operator can do on that API server.
 *
 * <p>Run: {@code ./mvnw -Pbenchmark -pl step-defs -am verify -DskipUnitTests -DskipITs}
 * with {@code -Dbench.machines=500 -Dbench.tpmMachines=50 -Dbench.concurrency=16}.
 */
public final class RegistrationBenchmark {
  private RegistrationBenchmark() {}

  public static void main(String[] args) throws Exception {
    int machines = Integer.getInteger("bench.machines", 500);
    int tpmMachines = Integer.getInteger("bench.tpmMachines", 50);
    int concurrency = Integer.getInteger("bench.concurrency", 16);
    ConformanceEnvironment env = ConformanceEnvironment.shared();
    System.out.printf(Locale.ROOT, "%n== registration benchmark: %d machines (sys-uuid), %d (emulated TPM, swtpm),"
        + " concurrency %d, cluster %s%n", machines, tpmMachines, concurrency, env.cluster().describe());

    Result raw = rawCreates(env.client(), machines, concurrency);
    Result plain = registrations(env, "sys-uuid", false, machines, concurrency);
    Result tpm = tpmMachines > 0 ? registrations(env, "tpm", true, tpmMachines, concurrency) : null;

    System.out.printf(Locale.ROOT, "%n%-44s %8s %10s %9s %9s %9s%n", "what", "count", "per second", "p50 ms",
        "p99 ms", "max ms");
    raw.print("raw create: MachineInventory + plan Secret");
    plain.print("registrations, auth sys-uuid");
    if (tpm != null) tpm.print("registrations, emulated TPM (swtpm)");
    System.out.printf(Locale.ROOT, "%nratio sys-uuid registrations / raw creates: %.2f%n", plain.rate() / raw.rate());
    if (tpm != null) {
      System.out.printf(Locale.ROOT, "ratio emulated-TPM registrations / raw creates: %.2f%n", tpm.rate() / raw.rate());
    }
    System.exit(0);
  }

  private static Result registrations(ConformanceEnvironment env, String auth, boolean emulateTpm, int count,
      int concurrency) throws Exception {
    KubernetesClient client = env.client();
    String namespace = namespace(client, "bench-" + auth);
    MachineRegistration mr = new MachineRegistration();
    mr.getMetadata().setName("bench");
    mr.getMetadata().setNamespace(namespace);
    mr.setSpec(new MachineRegistration.Spec());
    mr.getSpec().config = new Config();
    mr.getSpec().config.elemental = new ElementalConfig();
    mr.getSpec().config.elemental.registration = new RegistrationConfig();
    mr.getSpec().config.elemental.registration.auth = auth;
    if (emulateTpm) {
      mr.getSpec().config.elemental.registration.emulateTpm = true;
      mr.getSpec().config.elemental.registration.emulatedTpmSeed = -1L;
    }
    client.resource(mr).create();
    MachineRegistration ready = env.waits().until("MachineRegistration bench to be Ready", Timeouts.RECONCILE,
        () -> client.resource(mr).get(), r -> r != null && r.getStatus() != null && r.getStatus().registrationURL != null);
    env.waits().until("the token of bench-token", Timeouts.RECONCILE,
        () -> client.secrets().inNamespace(namespace).withName("bench-token").get(),
        s -> s != null && s.getData() != null && s.getData().containsKey("token"));
    String seed = SeedImages.get(ready.getStatus().registrationURL, env.rancher().setting("cacerts")).body();

    List<SimulatedMachine> fleet = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SimulatedMachine machine = SimulatedMachine.create("bench-" + i, env.settings().workDir(),
          UUID.randomUUID().toString(), String.format("52:54:01:%02x:%02x:%02x", i >> 16 & 255, i >> 8 & 255, i & 255),
          Map.of(), Map.of(), env.tpms());
      machine.bootSeedImageWith(seed);
      fleet.add(machine);
    }
    AtomicInteger failures = new AtomicInteger();
    Result result = timed(count, concurrency, i -> {
      try {
        fleet.get(i).register();
      } catch (Exception e) {
        if (failures.incrementAndGet() <= 3) System.out.println("registration failed: " + e.getMessage());
        throw e;
      }
    });
    fleet.forEach(SimulatedMachine::powerOff);
    int inventories = client.resources(MachineInventory.class).inNamespace(namespace).list().getItems().size();
    System.out.printf(Locale.ROOT, "%s: %d inventories for %d machines, %d failures%n", auth + (emulateTpm ? " (emulated)" : ""),
        inventories, count, failures.get());
    client.namespaces().withName(namespace).delete();
    return result;
  }

  /** The bound: what creating the registration's objects costs without any protocol in front. */
  private static Result rawCreates(KubernetesClient client, int count, int concurrency) throws Exception {
    String namespace = namespace(client, "bench-raw");
    Result result = timed(count, concurrency, i -> {
      String name = "m-" + UUID.randomUUID();
      // The plan Secret first: the running operator then finds it and does not race to create it.
      client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
          .withType("elemental.cattle.io/plan").withData(Map.of("plan", "e30=")).build()).create();
      MachineInventory inventory = new MachineInventory();
      inventory.getMetadata().setName(name);
      inventory.getMetadata().setNamespace(namespace);
      inventory.setSpec(new MachineInventory.Spec());
      inventory.getSpec().machineHash = UUID.randomUUID().toString();
      client.resource(inventory).create();
    });
    client.namespaces().withName(namespace).delete();
    return result;
  }

  private static String namespace(KubernetesClient client, String prefix) {
    String name = prefix + "-" + Long.toString(System.currentTimeMillis(), 36);
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    return name;
  }

  private interface Job {
    void run(int index) throws Exception;
  }

  private static Result timed(int count, int concurrency, Job job) throws Exception {
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int index = i;
      futures.add(pool.submit(() -> {
        long t0 = System.nanoTime();
        job.run(index);
        latencies.add(System.nanoTime() - t0);
        return null;
      }));
    }
    int failed = 0;
    for (Future<?> future : futures) {
      try {
        future.get();
      } catch (Exception e) {
        if (failed++ == 0) System.out.println("first failure: " + e.getCause());
      }
    }
    long elapsed = System.nanoTime() - start;
    pool.shutdown();
    return new Result(latencies, elapsed, failed);
  }

  private record Result(List<Long> latencies, long elapsedNanos, int failed) {
    double rate() {
      return latencies.size() / (elapsedNanos / 1e9);
    }

    void print(String what) {
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      System.out.printf(Locale.ROOT, "%-44s %8d %10.1f %9.1f %9.1f %9.1f%s%n", what, sorted.size(), rate(),
          percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1e6,
          failed > 0 ? "  (" + failed + " failed)" : "");
    }

    private static double percentile(List<Long> sorted, double p) {
      if (sorted.isEmpty()) return 0;
      return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }
  }
}
