package io.elemental.conformance.operator.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.operator.status.Conditions;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RegistrationTokensTest {

  @Test
  void randomTokensAreValidDnsLabelsAndDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    IntStream.range(0, 1000).forEach(i -> seen.add(RegistrationTokens.random()));
    assertThat(seen).hasSize(1000).allMatch(t -> t.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") && t.length() == 54);
  }

  @Test
  void staticTokenWinsOverIssuedOne() {
    MachineRegistration mr = registration("ns", "a", "uid-a", "2026-01-01T00:00:00Z", "static");
    mr.setStatus(new MachineRegistration.Status());
    mr.getStatus().registrationToken = "issued";
    assertThat(RegistrationTokens.current(mr)).contains("static");
    mr.getSpec().token = null;
    assertThat(RegistrationTokens.current(mr)).contains("issued");
  }

  @Test
  void theOlderRegistrationHoldsASharedToken() {
    MachineRegistration older = registration("ns", "older", "uid-1", "2026-01-01T00:00:00Z", "t");
    MachineRegistration newer = registration("other", "newer", "uid-2", "2026-01-01T00:00:05Z", "t");
    MachineRegistration unrelated = registration("ns", "x", "uid-3", "2025-01-01T00:00:00Z", "u");

    assertThat(RegistrationTokens.earlierHolder("t", newer, Stream.of(older, newer, unrelated))).contains(older);
    assertThat(RegistrationTokens.earlierHolder("t", older, Stream.of(older, newer, unrelated))).isEmpty();
  }

  @Test
  void sameCreationSecondIsDecidedByNamespaceAndName() {
    MachineRegistration a = registration("ns", "a", "uid-1", "2026-01-01T00:00:00Z", "t");
    MachineRegistration b = registration("ns", "b", "uid-2", "2026-01-01T00:00:00Z", "t");
    assertThat(RegistrationTokens.earlierHolder("t", b, Stream.of(a, b))).contains(a);
    assertThat(RegistrationTokens.earlierHolder("t", a, Stream.of(a, b))).isEmpty();
  }

  @Test
  void aRegistrationAlreadyServingTheTokenKeepsItAgainstAnOlderClaimant() {
    MachineRegistration serving = registration("zz", "serving", "uid-1", "2026-01-01T00:00:05Z", "t");
    serving.setStatus(new MachineRegistration.Status());
    serving.getStatus().registrationToken = "t";
    Conditions.set(serving.getStatus().conditions, serving, Elemental.READY_CONDITION, true, "SuccessfullyCreated", "");
    MachineRegistration claimant = registration("aa", "claimant", "uid-2", "2026-01-01T00:00:05Z", "t");

    assertThat(RegistrationTokens.earlierHolder("t", claimant, Stream.of(serving, claimant))).contains(serving);
    assertThat(RegistrationTokens.earlierHolder("t", serving, Stream.of(serving, claimant))).isEmpty();
  }

  private static MachineRegistration registration(String ns, String name, String uid, String created, String token) {
    MachineRegistration mr = new MachineRegistration();
    mr.getMetadata().setNamespace(ns);
    mr.getMetadata().setName(name);
    mr.getMetadata().setUid(uid);
    mr.getMetadata().setCreationTimestamp(created);
    mr.setSpec(new MachineRegistration.Spec());
    mr.getSpec().token = token;
    return mr;
  }
}
