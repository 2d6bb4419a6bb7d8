package io.elemental.conformance.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cucumber.datatable.DataTable;
import io.cucumber.java.ParameterType;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;
import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.harness.support.Timeouts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** MachineRegistration: token, URL, identity objects, ownership, clean-up. */
public class MachineRegistrationSteps {
  private final ScenarioScope scope;

  public MachineRegistrationSteps(ScenarioScope scope) {
    this.scope = scope;
  }

  @ParameterType("the same|another")
  public String namespaceChoice(String choice) {
    return choice;
  }

  /** "get, watch, list, update and patch" as a list of verbs. */
  @ParameterType("[a-z]+(?:, [a-z]+)*(?: and [a-z]+)?")
  public List<String> verbs(String text) {
    return Arrays.asList(text.replace(" and ", ", ").split(", "));
  }

  @When("the MachineRegistration {string} is created")
  public void created(String name) {
    create(name, scope.namespace(), null);
  }

  @When("the MachineRegistration {string} is created with the token {string}")
  public void createdWithToken(String name, String token) {
    create(name, scope.namespace(), token);
  }

  @When("the MachineRegistration {string} is created in {namespaceChoice} namespace with the token {string}")
  public void createdInNamespaceWithToken(String name, String choice, String token) {
    create(name, "another".equals(choice) ? scope.anotherNamespace() : scope.namespace(), token);
  }

  @When("the MachineRegistration {string} is deleted")
  public void deleted(String name) {
    registration(name).delete();
  }

  @Then("{string} becomes Ready with reason {string}")
  public void becomesReady(String name, String reason) {
    awaitReadyCondition(name, "True", reason);
  }

  @Then("{string} is not Ready, with reason {string}")
  public void isNotReady(String name, String reason) {
    awaitReadyCondition(name, "False", reason);
  }

  @Then("{string} is Ready with reason {string}")
  public void isReadyNow(String name, String reason) {
    Optional<Condition> ready = readyCondition(registration(name).get());
    assertThat(ready).as("Ready condition of %s", name).isPresent();
    assertThat(ready.get().getStatus()).as("Ready status of %s", name).isEqualTo("True");
    assertThat(ready.get().getReason()).as("Ready reason of %s", name).isEqualTo(reason);
  }

  @Then("{string} has no registration URL")
  public void hasNoUrl(String name) {
    MachineRegistration mr = registration(name).get();
    assertThat(mr.getStatus() == null ? null : mr.getStatus().registrationURL)
        .as("registration URL of %s", name).isNullOrEmpty();
  }

  @Then("{string} has no ServiceAccount")
  public void hasNoServiceAccount(String name) {
    assertThat(scope.client().serviceAccounts().inNamespace(scope.namespaceOf(name)).withName(name).get())
        .as("ServiceAccount %s", name).isNull();
  }

  @Then("the registration token of {string} is a random token of {int} lowercase letters and digits")
  public void tokenIsRandom(String name, int length) {
    String token = status(name).registrationToken;
    assertThat(token).as("registration token of %s", name).matches("[a-z0-9]{" + length + "}");
    assertThat(token).as("a random token is not a word").matches(".*[0-9].*");
  }

  @Then("the registration URL of {string} is {string} followed by its token")
  public void urlWithToken(String name, String prefix) {
    MachineRegistration.Status status = status(name);
    assertThat(status.registrationURL).as("registration URL of %s", name).isEqualTo(prefix + status.registrationToken);
  }

  @Then("the registration URL of {string} is {string}")
  public void urlIs(String name, String url) {
    assertThat(status(name).registrationURL).as("registration URL of %s", name).isEqualTo(url);
  }

  @Then("these objects exist, controlled by the MachineRegistration {string} and labelled {string}:")
  public void objectsExistOwned(String name, String label, DataTable objects) {
    MachineRegistration mr = registration(name).get();
    String[] keyValue = label.split("=", 2);
    for (Map<String, String> row : objects.asMaps()) {
      HasMetadata object = scope.waits().until(row.get("kind") + " " + row.get("name") + " to exist", Timeouts.RECONCILE,
          () -> KubernetesObjects.get(scope.client(), row.get("kind"), mr.getMetadata().getNamespace(), row.get("name")),
          Optional::isPresent).orElseThrow();
      assertControlledBy(object, mr);
      assertThat(object.getMetadata().getLabels()).as("labels of %s %s", row.get("kind"), row.get("name"))
          .containsEntry(keyValue[0], keyValue[1]);
    }
  }

  @Then("the Role {string} allows {verbs} on {word}")
  public void roleAllows(String roleName, List<String> verbs, String resource) {
    Role role = scope.client().rbac().roles().inNamespace(scope.namespaceOf(roleName)).withName(roleName).get();
    assertThat(role).as("Role %s", roleName).isNotNull();
    List<PolicyRule> coreRules = role.getRules().stream()
        .filter(rule -> rule.getApiGroups().contains("") && rule.getResources().contains(resource)).toList();
    assertThat(coreRules).as("rules of Role %s on %s", roleName, resource).isNotEmpty();
    assertThat(coreRules.stream().flatMap(rule -> rule.getVerbs().stream()))
        .as("verbs of Role %s on %s", roleName, resource).containsAll(verbs);
  }

  @Then("the RoleBinding {string} grants the Role {string} to the ServiceAccount {string}")
  public void roleBindingGrants(String bindingName, String roleName, String accountName) {
    String namespace = scope.namespaceOf(bindingName);
    RoleBinding binding = scope.client().rbac().roleBindings().inNamespace(namespace).withName(bindingName).get();
    assertThat(binding).as("RoleBinding %s", bindingName).isNotNull();
    assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
    assertThat(binding.getRoleRef().getName()).isEqualTo(roleName);
    assertThat(binding.getSubjects()).as("subjects of RoleBinding %s", bindingName)
        .anySatisfy(subject -> {
          assertThat(subject.getKind()).isEqualTo("ServiceAccount");
          assertThat(subject.getName()).isEqualTo(accountName);
          assertThat(subject.getNamespace()).isEqualTo(namespace);
        });
  }

  /** The token controller of the real controller-manager fills the Secret: proof it is a real token. */
  @Then("the Secret {string} holds a service-account token for {string}")
  public void secretHoldsToken(String secretName, String accountName) {
    String namespace = scope.namespaceOf(accountName);
    ServiceAccount account = scope.client().serviceAccounts().inNamespace(namespace).withName(accountName).get();
    assertThat(account).as("ServiceAccount %s", accountName).isNotNull();
    Secret secret = scope.waits().until("the token controller to fill Secret " + secretName, Timeouts.RECONCILE,
        () -> scope.client().secrets().inNamespace(namespace).withName(secretName).get(),
        s -> s != null && s.getData() != null && s.getData().containsKey("token"));
    assertThat(secret.getType()).isEqualTo("kubernetes.io/service-account-token");
    assertThat(secret.getMetadata().getAnnotations())
        .containsEntry("kubernetes.io/service-account.name", accountName)
        .containsEntry("kubernetes.io/service-account.uid", account.getMetadata().getUid());
    assertThat(secret.getData()).containsKeys("token", "ca.crt", "namespace");
  }

  @Then("the status of {string} refers to the ServiceAccount {string}")
  public void statusRefersToServiceAccount(String name, String accountName) {
    var ref = status(name).serviceAccountRef;
    assertThat(ref).as("status.serviceAccountRef of %s", name).isNotNull();
    assertThat(ref.getKind()).isEqualTo("ServiceAccount");
    assertThat(ref.getName()).isEqualTo(accountName);
    assertThat(ref.getNamespace()).isEqualTo(scope.namespaceOf(name));
  }

  @When("the Secret {string} is deleted")
  public void secretDeleted(String secretName) {
    var secret = scope.client().secrets().inNamespace(scope.namespace()).withName(secretName);
    scope.remember("uid of Secret " + secretName, secret.get().getMetadata().getUid());
    secret.delete();
  }

  @Then("the Secret {string} comes back, controlled by the MachineRegistration {string}")
  public void secretComesBack(String secretName, String name) {
    String oldUid = scope.recall("uid of Secret " + secretName);
    Secret secret = scope.waits().until("Secret " + secretName + " to be created again", Timeouts.RECONCILE,
        () -> scope.client().secrets().inNamespace(scope.namespaceOf(name)).withName(secretName).get(),
        s -> s != null && !oldUid.equals(s.getMetadata().getUid()));
    assertControlledBy(secret, registration(name).get());
  }

  @Then("the garbage collector removes these objects:")
  public void garbageCollected(DataTable objects) {
    String namespace = scope.namespace();
    for (Map<String, String> row : objects.asMaps()) {
      scope.waits().until("the garbage collector to remove " + row.get("kind") + " " + row.get("name"),
          Timeouts.GARBAGE_COLLECTION,
          () -> KubernetesObjects.get(scope.client(), row.get("kind"), namespace, row.get("name")).isEmpty());
    }
  }

  private void create(String name, String namespace, String token) {
    MachineRegistration mr = new MachineRegistration();
    mr.getMetadata().setName(name);
    mr.getMetadata().setNamespace(namespace);
    mr.setSpec(new MachineRegistration.Spec());
    mr.getSpec().token = token;
    scope.client().resource(mr).create();
    scope.registrationLivesIn(name, namespace);
  }

  private Resource<MachineRegistration> registration(String name) {
    return scope.client().resources(MachineRegistration.class).inNamespace(scope.namespaceOf(name)).withName(name);
  }

  MachineRegistration.Status status(String name) {
    MachineRegistration mr = registration(name).get();
    assertThat(mr).as("MachineRegistration %s", name).isNotNull();
    assertThat(mr.getStatus()).as("status of MachineRegistration %s", name).isNotNull();
    return mr.getStatus();
  }

  private void awaitReadyCondition(String name, String status, String reason) {
    scope.waits().until("MachineRegistration " + name + " to have Ready=" + status + " (" + reason + ")",
        Timeouts.RECONCILE,
        () -> readyCondition(registration(name).get()).map(c -> c.getStatus() + " (" + c.getReason() + ": "
            + c.getMessage() + ")").orElse("no Ready condition"),
        seen -> seen.startsWith(status + " (" + reason + ":"));
  }

  private static Optional<Condition> readyCondition(MachineRegistration mr) {
    if (mr == null || mr.getStatus() == null || mr.getStatus().conditions == null) return Optional.empty();
    return mr.getStatus().conditions.stream().filter(c -> Elemental.READY_CONDITION.equals(c.getType())).findFirst();
  }

  private static void assertControlledBy(HasMetadata object, MachineRegistration owner) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    assertThat(refs).as("owner references of %s %s", object.getKind(), object.getMetadata().getName())
        .anySatisfy(ref -> {
          assertThat(ref.getKind()).isEqualTo("MachineRegistration");
          assertThat(ref.getApiVersion()).isEqualTo(Elemental.API_VERSION);
          assertThat(ref.getName()).isEqualTo(owner.getMetadata().getName());
          assertThat(ref.getUid()).isEqualTo(owner.getMetadata().getUid());
          assertThat(ref.getController()).isTrue();
        });
  }
}
