package io.elemental.conformance.node.tpm;

import io.elemental.conformance.attestation.tpm2.TpmBuffer;
import io.elemental.conformance.attestation.tpm2.TpmFormatException;
import java.util.Arrays;

/**
 * Reads one TPM 2.0 response (Part 1, 18.3): checks the header and the response code, then
 * hands out the returned handles and the parameter area. Session responses after the
 * parameters are skipped: password and policy sessions carry no HMAC to check.
 */
final class ResponseReader {
  private final String command;
  private final int[] handles;
  private final TpmBuffer parameters;

  private ResponseReader(String command, int[] handles, TpmBuffer parameters) {
    this.command = command;
    this.handles = handles;
    this.parameters = parameters;
  }

  /**
   * {@code handleCount}: how many handles this command returns before its parameters. A
   * non-zero response code becomes a {@link TpmCommandException} naming it.
   */
  static ResponseReader read(String command, byte[] response, int handleCount) {
    try {
      TpmBuffer in = new TpmBuffer(response);
      int tag = in.u16("tag");
      long size = in.u32("responseSize");
      int code = (int) in.u32("responseCode");
      if (size != response.length) {
        throw malformed(command, "responseSize " + size + " but " + response.length + " bytes arrived");
      }
      if (code != TpmRc.SUCCESS) throw new TpmCommandException(command, code, "");
      int[] handles = new int[handleCount];
      for (int i = 0; i < handleCount; i++) handles[i] = (int) in.u32("handle");
      int parameterSize = in.remaining();
      if (tag == CommandBuffer.ST_SESSIONS) {
        parameterSize = (int) in.u32("parameterSize");
      } else if (tag != CommandBuffer.ST_NO_SESSIONS) {
        throw malformed(command, String.format("unknown tag 0x%04x", tag));
      }
      return new ResponseReader(command, handles, new TpmBuffer(in.bytes(parameterSize, "parameters")));
    } catch (TpmFormatException e) {
      throw malformed(command, e.getMessage());
    }
  }

  int handle(int index) {
    return handles[index];
  }

  int u8(String what) {
    try {
      return parameters.u8(what);
    } catch (TpmFormatException e) {
      throw malformed(command, e.getMessage());
    }
  }

  int u16(String what) {
    try {
      return parameters.u16(what);
    } catch (TpmFormatException e) {
      throw malformed(command, e.getMessage());
    }
  }

  int u32(String what) {
    try {
      return (int) parameters.u32(what);
    } catch (TpmFormatException e) {
      throw malformed(command, e.getMessage());
    }
  }

  byte[] bytes(int length, String what) {
    try {
      return parameters.bytes(length, what);
    } catch (TpmFormatException e) {
      throw malformed(command, e.getMessage());
    }
  }

  /** The contents of a TPM2B (size dropped). */
  byte[] sized(String what) {
    try {
      return parameters.sized(what);
    } catch (TpmFormatException e) {
      throw malformed(command, e.getMessage());
    }
  }

  /** A TPMT_TK_CREATION or TPMT_TK_AUTH (tag, hierarchy, TPM2B digest), as marshalled. */
  byte[] ticket(String what) {
    int start = parameters.position();
    u16(what + " tag");
    u32(what + " hierarchy");
    sized(what + " digest");
    return slice(start);
  }

  /** A TPMT_SIGNATURE, as marshalled; RSA schemes only (the AK is RSA). */
  byte[] rsaSignature(String what) {
    int start = parameters.position();
    int alg = u16(what + " sigAlg");
    if (alg != 0x0014 && alg != 0x0016) {
      throw malformed(command, String.format("%s: expected an RSASSA or RSAPSS signature, got algorithm 0x%04x",
          what, alg));
    }
    u16(what + " hash");
    sized(what + " signature");
    return slice(start);
  }

  private byte[] slice(int start) {
    return Arrays.copyOfRange(parameters.consumed(), start, parameters.position());
  }

  private static TpmCommandException malformed(String command, String why) {
    return new TpmCommandException(command + " returned a malformed response (" + why + "). Is this a TPM 2.0,"
        + " and is nothing else talking to it on the same connection?", null);
  }
}
