package io.elemental.conformance.operator.registration;

import io.elemental.conformance.api.v1beta1.Elemental;
import io.elemental.conformance.api.v1beta1.MachineRegistration;
import io.elemental.conformance.operator.status.Conditions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Registration tokens: the static one from the spec, else the one already issued, else a new
 * random one; and who holds a token first when two registrations claim the same one.
 */
public final class RegistrationTokens {
  // Same length and alphabet family as Rancher's random tokens: lowercase, no look-alikes.
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final int LENGTH = 54;
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Who came first for a token: a registration already serving it (Ready with that token)
   * before one that is not; then the older one (creation time has one-second resolution);
   * then namespace/name, so every reconcile agrees on the winner.
   */
  private static Comparator<MachineRegistration> firstCome(String token) {
    return Comparator
        .comparing((MachineRegistration mr) -> !servesToken(mr, token))
        .thenComparing(mr -> Objects.requireNonNullElse(mr.getMetadata().getCreationTimestamp(), ""))
        .thenComparing(mr -> mr.getMetadata().getNamespace() + "/" + mr.getMetadata().getName());
  }

  private static boolean servesToken(MachineRegistration mr, String token) {
    return mr.getStatus() != null && token.equals(mr.getStatus().registrationToken)
        && Conditions.isTrue(mr.getStatus().conditions, Elemental.READY_CONDITION);
  }

  private RegistrationTokens() {}

  public static String random() {
    StringBuilder token = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      token.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return token.toString();
  }

  /** The token this registration uses now, if it has one yet. */
  public static Optional<String> current(MachineRegistration mr) {
    if (mr.getSpec() != null && mr.getSpec().token != null && !mr.getSpec().token.isBlank()) {
      return Optional.of(mr.getSpec().token);
    }
    return Optional.ofNullable(mr.getStatus()).map(s -> s.registrationToken).filter(t -> !t.isBlank());
  }

  /** The registration that claimed {@code token} before {@code mr} did, among {@code all}. */
  public static Optional<MachineRegistration> earlierHolder(String token, MachineRegistration mr,
      Stream<MachineRegistration> all) {
    return all
        .filter(other -> !Objects.equals(other.getMetadata().getUid(), mr.getMetadata().getUid()))
        .filter(other -> current(other).filter(token::equals).isPresent())
        .filter(other -> firstCome(token).compare(other, mr) < 0)
        .min(firstCome(token));
  }
}
