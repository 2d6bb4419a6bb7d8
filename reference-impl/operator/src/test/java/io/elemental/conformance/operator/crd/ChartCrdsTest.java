package io.elemental.conformance.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The Helm chart installs exactly the CRDs the Java model generates: no hand edits, no drift. */
class ChartCrdsTest {
  private static final Path CHART_CRDS = Path.of("chart/elemental-operator/crds");

  @Test
  void theChartsCrdsAreTheGeneratedOnes() throws IOException {
    Map<String, CustomResourceDefinition> generated = ElementalCrds.all().stream()
        .collect(Collectors.toMap(crd -> crd.getMetadata().getName(), Function.identity()));
    Map<String, CustomResourceDefinition> inChart;
    try (Stream<Path> files = Files.list(CHART_CRDS)) {
      inChart = files.filter(f -> f.toString().endsWith(".yaml")).collect(Collectors.toMap(
          f -> f.getFileName().toString().replaceFirst("\\.yaml$", ""), ChartCrdsTest::read));
    }
    String fix = " Fix: scripts/update-chart-crds.sh (after ./mvnw -q -pl reference-impl/operator -am package -DskipTests)";
    assertThat(inChart.keySet()).as("CRD files in %s.%s", CHART_CRDS, fix).isEqualTo(generated.keySet());
    inChart.forEach((name, crd) -> {
      assertThat(crd.getMetadata().getName()).as("metadata.name of %s.yaml", name).isEqualTo(name);
      assertThat(crd).as("%s.yaml differs from the generated CRD.%s", name, fix).isEqualTo(generated.get(name));
    });
  }

  private static CustomResourceDefinition read(Path file) {
    try {
      return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }
}
