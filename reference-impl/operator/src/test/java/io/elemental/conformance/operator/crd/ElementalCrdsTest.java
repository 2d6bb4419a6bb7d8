package io.elemental.conformance.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElementalCrdsTest {

  @Test
  void everyKindOfTheRealStackHasANamespacedV1beta1CrdWithStatus() {
    List<CustomResourceDefinition> crds = ElementalCrds.all();
    assertThat(crds).extracting(crd -> crd.getSpec().getNames().getKind()).containsExactlyInAnyOrder(
        "MachineRegistration", "MachineInventory", "MachineInventorySelector", "MachineInventorySelectorTemplate",
        "ManagedOSImage", "ManagedOSVersion", "ManagedOSVersionChannel", "SeedImage");
    assertThat(crds).allSatisfy(crd -> {
      assertThat(crd.getSpec().getGroup()).isEqualTo("elemental.cattle.io");
      assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
      assertThat(crd.getSpec().getVersions()).singleElement()
          .satisfies(v -> assertThat(v.getName()).isEqualTo("v1beta1"));
    });
    assertThat(crds).filteredOn(crd -> crd.getSpec().getNames().getKind().equals("MachineRegistration"))
        .singleElement().satisfies(crd -> assertThat(crd.getSpec().getVersions().get(0).getSubresources().getStatus())
            .isNotNull());
  }

  @Test
  void freeFormCloudConfigAcceptsAnyYaml() {
    CustomResourceDefinition registration = ElementalCrds.all().stream()
        .filter(crd -> crd.getSpec().getNames().getKind().equals("MachineRegistration")).findFirst().orElseThrow();
    var cloudConfig = registration.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()
        .getProperties().get("spec").getProperties().get("config").getProperties().get("cloud-config");
    assertThat(cloudConfig.getXKubernetesPreserveUnknownFields()).isTrue();
    assertThat(cloudConfig.getAdditionalProperties()).isNull();
  }

  @Test
  void yamlStreamHoldsEveryCrd() {
    assertThat(ElementalCrds.asYaml().split("(?m)^kind: \"?CustomResourceDefinition\"?$")).hasSize(9);
  }
}
