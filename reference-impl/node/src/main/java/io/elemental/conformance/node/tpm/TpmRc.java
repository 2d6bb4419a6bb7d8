package io.elemental.conformance.node.tpm;

import java.util.Map;

/**
 * Names a TPM 2.0 response code (Part 2, 6.6) the way the TCG spells it, with where it points
 * (handle, session or parameter number) and, for the codes this client meets, what to do.
 */
final class TpmRc {
  static final int SUCCESS = 0x000;
  private static final int RC_VER1 = 0x100;
  private static final int RC_FMT1 = 0x080;
  private static final int RC_WARN = 0x900;

  static final int HANDLE = RC_FMT1 + 0x00B;
  static final int RETRY = RC_WARN + 0x022;
  static final int YIELDED = RC_WARN + 0x008;
  static final int TESTING = RC_WARN + 0x00A;

  private static final Map<Integer, String> FORMAT1 = Map.ofEntries(
      Map.entry(0x001, "ASYMMETRIC"), Map.entry(0x002, "ATTRIBUTES"), Map.entry(0x003, "HASH"),
      Map.entry(0x004, "VALUE"), Map.entry(0x005, "HIERARCHY"), Map.entry(0x007, "KEY_SIZE"),
      Map.entry(0x008, "MGF"), Map.entry(0x009, "MODE"), Map.entry(0x00A, "TYPE"), Map.entry(0x00B, "HANDLE"),
      Map.entry(0x00C, "KDF"), Map.entry(0x00D, "RANGE"), Map.entry(0x00E, "AUTH_FAIL"), Map.entry(0x00F, "NONCE"),
      Map.entry(0x010, "PP"), Map.entry(0x012, "SCHEME"), Map.entry(0x015, "SIZE"), Map.entry(0x016, "SYMMETRIC"),
      Map.entry(0x017, "TAG"), Map.entry(0x018, "SELECTOR"), Map.entry(0x01A, "INSUFFICIENT"),
      Map.entry(0x01B, "SIGNATURE"), Map.entry(0x01C, "KEY"), Map.entry(0x01D, "POLICY_FAIL"),
      Map.entry(0x01F, "INTEGRITY"), Map.entry(0x020, "TICKET"), Map.entry(0x021, "RESERVED_BITS"),
      Map.entry(0x022, "BAD_AUTH"), Map.entry(0x023, "EXPIRED"), Map.entry(0x024, "POLICY_CC"),
      Map.entry(0x025, "BINDING"), Map.entry(0x026, "CURVE"), Map.entry(0x027, "ECC_POINT"));

  private static final Map<Integer, String> VER1 = Map.ofEntries(
      Map.entry(0x000, "INITIALIZE"), Map.entry(0x001, "FAILURE"), Map.entry(0x003, "SEQUENCE"),
      Map.entry(0x00B, "PRIVATE"), Map.entry(0x019, "HMAC"), Map.entry(0x020, "DISABLED"),
      Map.entry(0x021, "EXCLUSIVE"), Map.entry(0x024, "AUTH_TYPE"), Map.entry(0x025, "AUTH_MISSING"),
      Map.entry(0x026, "POLICY"), Map.entry(0x027, "PCR"), Map.entry(0x028, "PCR_CHANGED"),
      Map.entry(0x02D, "UPGRADE"), Map.entry(0x02E, "TOO_MANY_CONTEXTS"), Map.entry(0x02F, "AUTH_UNAVAILABLE"),
      Map.entry(0x030, "REBOOT"), Map.entry(0x031, "UNBALANCED"), Map.entry(0x042, "COMMAND_SIZE"),
      Map.entry(0x043, "COMMAND_CODE"), Map.entry(0x044, "AUTHSIZE"), Map.entry(0x045, "AUTH_CONTEXT"),
      Map.entry(0x046, "NV_RANGE"), Map.entry(0x047, "NV_SIZE"), Map.entry(0x048, "NV_LOCKED"),
      Map.entry(0x049, "NV_AUTHORIZATION"), Map.entry(0x04A, "NV_UNINITIALIZED"), Map.entry(0x04B, "NV_SPACE"),
      Map.entry(0x04C, "NV_DEFINED"), Map.entry(0x050, "BAD_CONTEXT"), Map.entry(0x051, "CPHASH"),
      Map.entry(0x052, "PARENT"), Map.entry(0x053, "NEEDS_TEST"), Map.entry(0x054, "NO_RESULT"),
      Map.entry(0x055, "SENSITIVE"));

  private static final Map<Integer, String> WARN = Map.ofEntries(
      Map.entry(0x001, "CONTEXT_GAP"), Map.entry(0x002, "OBJECT_MEMORY"), Map.entry(0x003, "SESSION_MEMORY"),
      Map.entry(0x004, "MEMORY"), Map.entry(0x005, "SESSION_HANDLES"), Map.entry(0x006, "OBJECT_HANDLES"),
      Map.entry(0x007, "LOCALITY"), Map.entry(0x008, "YIELDED"), Map.entry(0x009, "CANCELED"),
      Map.entry(0x00A, "TESTING"), Map.entry(0x020, "NV_RATE"), Map.entry(0x021, "LOCKOUT"),
      Map.entry(0x022, "RETRY"), Map.entry(0x023, "NV_UNAVAILABLE"));

  /** Advice keyed by the base code (position bits removed). */
  private static final Map<Integer, String> ADVICE = Map.ofEntries(
      Map.entry(RC_FMT1 + 0x00B, "the object, session or NV index is not in the TPM (a persistent key was"
          + " evicted, or a transient one flushed)"),
      Map.entry(RC_FMT1 + 0x01F, "the blob was not made by this TPM, or for this key: a key from another TPM, or"
          + " a credential made for another EK/AK"),
      Map.entry(RC_FMT1 + 0x004, "a value the TPM could not use; for ActivateCredential: the secret was not"
          + " encrypted to this TPM's EK"),
      Map.entry(RC_FMT1 + 0x00E, "wrong authorization value: this client uses empty owner, endorsement and key"
          + " passwords; clear them (tpm2_changeauth) or reset the TPM"),
      Map.entry(RC_FMT1 + 0x022, "wrong authorization value: this client uses empty owner, endorsement and key"
          + " passwords; clear them (tpm2_changeauth) or reset the TPM"),
      Map.entry(RC_FMT1 + 0x01D, "the policy session does not satisfy the key's policy (the EK needs"
          + " PolicySecret(TPM_RH_ENDORSEMENT) with an empty endorsement password)"),
      Map.entry(RC_VER1 + 0x000, "TPM2_Startup was not sent: start swtpm with '--flags startup-clear'"),
      Map.entry(RC_VER1 + 0x001, "the TPM reported an internal failure; if every command fails from now on it is"
          + " in failure mode: restart it (swtpm) or the machine"),
      Map.entry(RC_VER1 + 0x04B, "no free NV space for a persistent key: evict unused ones (tpm2_evictcontrol)"),
      Map.entry(RC_VER1 + 0x04C, "the persistent handle is already taken"),
      Map.entry(RC_WARN + 0x002, "too many loaded objects: another program left transient objects; flush them"
          + " (tpm2_flushcontext -t) or restart the TPM"),
      Map.entry(RC_WARN + 0x003, "too many sessions: flush them (tpm2_flushcontext -l -s) or restart the TPM"),
      Map.entry(RC_WARN + 0x005, "too many sessions: flush them (tpm2_flushcontext -l -s) or restart the TPM"),
      Map.entry(RC_WARN + 0x021, "the TPM is in dictionary-attack lockout: wait, or reset it with the lockout"
          + " password (tpm2_dictionarylockout -c)"));

  private TpmRc() {}

  /** The code without the handle/session/parameter number, for comparisons. */
  static int base(int rc) {
    return (rc & RC_FMT1) != 0 ? RC_FMT1 | (rc & 0x3F) : rc;
  }

  /** e.g. {@code TPM_RC_INTEGRITY (0x000001df, parameter 1)}. */
  static String describe(int rc) {
    String hex = String.format("0x%08x", rc);
    if ((rc & RC_FMT1) != 0) {
      String name = "TPM_RC_" + FORMAT1.getOrDefault(rc & 0x3F, String.format("FMT1_0x%03x", rc & 0x3F));
      int n = (rc >> 8) & 0xF;
      String where;
      if ((rc & 0x040) != 0) {
        where = ", parameter " + n;
      } else if ((n & 0x8) != 0) {
        where = ", session " + (n & 0x7);
      } else {
        where = n == 0 ? "" : ", handle " + n;
      }
      return name + " (" + hex + where + ")";
    }
    if ((rc & 0xFFFFF000) != 0) return "TSS/vendor layer error " + hex;
    if ((rc & RC_VER1) == 0) return "TPM 1.2 response code " + hex + " (is this a TPM 2.0?)";
    if ((rc & 0x400) != 0) return "TPM vendor-specific code " + hex;
    Map<Integer, String> names = (rc & 0x800) != 0 ? WARN : VER1;
    return "TPM_RC_" + names.getOrDefault(rc & 0x7F, String.format("0x%03x", rc & 0xFFF)) + " (" + hex + ")";
  }

  /** What probably went wrong in {@code command} and what to do, or empty. */
  static String advice(String command, int rc) {
    int base = base(rc);
    // libtpms (swtpm) answers a secret it cannot decrypt with TPM_RC_FAILURE, hardware TPMs with VALUE or INTEGRITY.
    if (command.equals("TPM2_ActivateCredential")
        && (base == RC_VER1 + 0x001 || base == RC_FMT1 + 0x004 || base == RC_FMT1 + 0x01F)) {
      return "the credential was not made for this TPM's EK and this AK (a forged or mixed-up token, or a TPM"
          + " whose EK changed since the token was made)";
    }
    return ADVICE.getOrDefault(base, "");
  }

  /** Codes the spec says to retry the same command for. */
  static boolean retryable(int rc) {
    return rc == RETRY || rc == YIELDED || rc == TESTING;
  }
}
