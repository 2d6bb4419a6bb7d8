package io.elemental.conformance.node.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command marshalling, response parsing, response-code names and TCTI strings, without a TPM. */
class TpmWireFormatTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void aCommandWithoutSessionsIsHeaderHandlesParameters() {
    byte[] command = new CommandBuffer(0x173).handle(0x81000001).toBytes();
    assertThat(HEX.formatHex(command)).isEqualTo("80010000000e0000017381000001");
  }

  @Test
  void aCommandWithSessionsCarriesTheAuthorizationArea() {
    byte[] command = new CommandBuffer(0x157).handle(0x81000001).auth(AuthSession.emptyPassword())
        .sized(new byte[] {1, 2}).toBytes();
    // tag, size, TPM_CC_Load, parent, authSize 9, TPM_RS_PW, empty nonce, attributes 0, empty hmac, TPM2B 0102
    assertThat(HEX.formatHex(command))
        .isEqualTo("8002" + "0000001f" + "00000157" + "81000001" + "00000009" + "40000009" + "0000" + "00" + "0000"
            + "00020102");
  }

  @Test
  void aResponseGivesHandlesThenParametersAndSkipsTheSessionArea() {
    byte[] response = HEX.parseHex("8002" + "0000001b" + "00000000" + "80000001" + "00000004" + "0002abcd"
        + "0000" + "01" + "0000");
    ResponseReader reader = ResponseReader.read("TPM2_Load", response, 1);
    assertThat(reader.handle(0)).isEqualTo(0x80000001);
    assertThat(reader.sized("name")).isEqualTo(new byte[] {(byte) 0xab, (byte) 0xcd});
  }

  @Test
  void anErrorResponseNamesTheCommandAndTheCode() {
    byte[] response = HEX.parseHex("8001" + "0000000a" + "0000019f");
    assertThatThrownBy(() -> ResponseReader.read("TPM2_Load", response, 1))
        .isInstanceOf(TpmCommandException.class)
        .hasMessageContaining("TPM2_Load failed: TPM_RC_INTEGRITY (0x0000019f, handle 1)")
        .satisfies(e -> assertThat(((TpmCommandException) e).responseCode()).isEqualTo(0x19f));
    assertThat(new TpmCommandException("TPM2_ReadPublic", 0x18b, "").isMissingHandle()).isTrue();
  }

  @Test
  void responseCodesAreNamedAsTheTcgSpellsThem() {
    assertThat(TpmRc.describe(0x18b)).isEqualTo("TPM_RC_HANDLE (0x0000018b, handle 1)");
    assertThat(TpmRc.describe(0x1df)).isEqualTo("TPM_RC_INTEGRITY (0x000001df, parameter 1)");
    assertThat(TpmRc.describe(0x98e)).isEqualTo("TPM_RC_AUTH_FAIL (0x0000098e, session 1)");
    assertThat(TpmRc.describe(0x100)).isEqualTo("TPM_RC_INITIALIZE (0x00000100)");
    assertThat(TpmRc.describe(0x902)).isEqualTo("TPM_RC_OBJECT_MEMORY (0x00000902)");
    assertThat(TpmRc.describe(0x921)).isEqualTo("TPM_RC_LOCKOUT (0x00000921)");
    assertThat(TpmRc.advice("TPM2_Load", 0x100)).contains("startup-clear");
    assertThat(TpmRc.advice("TPM2_ActivateCredential", 0x101)).contains("not made for this TPM's EK");
    assertThat(TpmRc.retryable(0x922)).isTrue();
  }

  @Test
  void aTruncatedResponseIsReportedAsMalformed() {
    byte[] response = HEX.parseHex("8001" + "0000000c" + "00000000" + "0005");
    assertThatThrownBy(() -> ResponseReader.read("TPM2_ReadPublic", response, 0).sized("outPublic"))
        .isInstanceOf(TpmCommandException.class).hasMessageContaining("TPM2_ReadPublic returned a malformed response");
  }

  @Test
  void templatesAreTheOnesTpm2ToolsMade() {
    // The first 22 bytes of a TPMT_PUBLIC tpm2_create -G rsa2048:rsassa-sha256:null wrote, before its modulus.
    assertThat(HEX.formatHex(TpmTemplates.attestationKey()))
        .isEqualTo("0001000b00050472" + "0000" + "0010" + "0014000b" + "0800" + "00000000" + "0000");
    assertThat(HEX.formatHex(TpmTemplates.storageRootKey()))
        .isEqualTo("0001000b00030472" + "0000" + "000600800043" + "0010" + "0800" + "00000000" + "0000");
    assertThat(HEX.formatHex(TpmTemplates.endorsementKey())).startsWith("0001000b000300b20020837197674484b3f8")
        .endsWith("000600800043" + "0010" + "0800" + "00000000" + "0100" + "00".repeat(256));
  }

  @Test
  void tctiStringsAreTpm2TssOnes() {
    assertThat(Tcti.parse("swtpm:host=127.0.0.1,port=2400")).isEqualTo(new Tcti("swtpm", "127.0.0.1", 2400, null));
    assertThat(Tcti.parse("swtpm:")).isEqualTo(new Tcti("swtpm", "localhost", 2321, null));
    assertThat(Tcti.parse("device:/dev/tpmrm0")).isEqualTo(new Tcti("device", null, 0, "/dev/tpmrm0"));
    assertThat(Tcti.parse("device").device()).isEqualTo("/dev/tpm0");
    assertThatThrownBy(() -> Tcti.parse("tabrmd:bus_type=system")).hasMessageContaining("TPM2TOOLS_TCTI");
    assertThatThrownBy(() -> Tcti.parse("swtpm:port=x")).hasMessageContaining("port");
  }

  @Test
  void aMissingDeviceIsNotCreated(@TempDir Path dir) {
    Path missing = dir.resolve("tpmrm0");
    assertThatThrownBy(() -> new TpmClient("device:" + missing).endorsementKey())
        .isInstanceOf(TpmCommandException.class).hasMessageContaining("cannot open the TPM device " + missing);
    assertThat(missing).doesNotExist();
  }

  @Test
  void anUnreachableTpmSaysWhereItLooked() {
    assertThatThrownBy(() -> new TpmClient("swtpm:host=127.0.0.1,port=1").endorsementKey())
        .isInstanceOf(TpmCommandException.class).hasMessageContaining("swtpm:host=127.0.0.1,port=1");
    assertThatThrownBy(() -> new TpmClient("device:/nonexistent/tpm").endorsementKey())
        .isInstanceOf(TpmCommandException.class).hasMessageContaining("/nonexistent/tpm");
  }
}
