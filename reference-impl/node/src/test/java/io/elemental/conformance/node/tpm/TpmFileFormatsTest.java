package io.elemental.conformance.node.tpm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The byte shapes read from the TPM's NV and the public config, without a TPM. */
class TpmFileFormatsTest {
  private static final byte[] DER = {0x30, 0x03, 0x02, 0x01, 0x05};

  @Test
  void nvCertificateLosesItsTcgWrapperAndPadding() {
    byte[] wrapped = ByteBuffer.allocate(5 + DER.length + 4).put(new byte[] {0x10, 0x01, 0x00, 0x00, (byte) DER.length})
        .put(DER).put(new byte[] {(byte) 0xff, (byte) 0xff, 0, 0}).array();
    assertThat(EndorsementKeyReader.certificateDer(wrapped)).isEqualTo(DER);
    byte[] padded = Arrays.copyOf(DER, DER.length + 16);
    assertThat(EndorsementKeyReader.certificateDer(padded)).isEqualTo(DER);
    assertThat(EndorsementKeyReader.certificateDer(DER)).isEqualTo(DER);
  }

  @Test
  void tctiComesFromTheConstructor() {
    assertThat(new TpmClient("swtpm:host=127.0.0.1,port=1").tcti()).isEqualTo("swtpm:host=127.0.0.1,port=1");
  }
}
