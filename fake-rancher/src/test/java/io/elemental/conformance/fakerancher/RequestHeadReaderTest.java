package io.elemental.conformance.fakerancher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestHeadReaderTest {
  @Test
  void readsAHeadAndHandsBackTheBytesAfterIt() throws Exception {
    RequestHeadReader.Read read = read("GET /elemental/registration/t?a=b HTTP/1.1\r\nHost: x\r\n"
        + "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n\r\nfirst body bytes");

    assertThat(read.head().path()).isEqualTo("/elemental/registration/t");
    assertThat(read.head().target()).isEqualTo("/elemental/registration/t?a=b");
    assertThat(read.head().isUpgrade()).isTrue();
    assertThat(new String(read.rest(), StandardCharsets.ISO_8859_1)).isEqualTo("first body bytes");
  }

  @Test
  void acceptsBareLineFeeds() throws Exception {
    assertThat(read("GET / HTTP/1.0\nAccept: */*\n\n").head().field("accept")).hasValue("*/*");
  }

  @Test
  void setsTheForwardingFieldsInPlaceOfTheClients() throws Exception {
    RequestHead head = read("GET / HTTP/1.1\r\nHost: x\r\nx-forwarded-for: 1.2.3.4\r\nX-Forwarded-Proto: http\r\n\r\n")
        .head().forwardedFrom("127.0.0.1");

    assertThat(new String(head.bytes(), StandardCharsets.ISO_8859_1)).isEqualTo(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 127.0.0.1\r\nX-Forwarded-Proto: https\r\n\r\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "GET /\r\nHost: x\r\n\r\n",
      "GET http://example/ HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\n\r\n",
      "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\u0001y\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x",
  })
  void refusesMalformedHeads(String head) {
    assertThatThrownBy(() -> read(head)).isInstanceOf(MalformedRequestHeadException.class);
  }

  @Test
  void takesAHeadOfExactly64KiBAndNotOneByteMore() throws Exception {
    String start = "GET / HTTP/1.1\r\nHost: x\r\nX-Padding: ";
    String fits = start + "a".repeat(RequestHeadReader.MAX_HEAD_BYTES - start.length() - 4) + "\r\n\r\n";

    assertThat(fits).hasSize(RequestHeadReader.MAX_HEAD_BYTES);
    assertThat(read(fits).head().field("x-padding")).isPresent();
    assertThatThrownBy(() -> read(fits.replace("X-Padding: ", "X-Padding: a")))
        .isInstanceOf(MalformedRequestHeadException.class).hasMessageContaining("longer than 65536 bytes");
  }

  @Test
  void closedBeforeAnyByteIsNoHead() throws Exception {
    assertThat(RequestHeadReader.read(InputStream.nullInputStream())).isNull();
  }

  private static RequestHeadReader.Read read(String head) throws Exception {
    return RequestHeadReader.read(new ByteArrayInputStream(head.getBytes(StandardCharsets.ISO_8859_1)));
  }
}
