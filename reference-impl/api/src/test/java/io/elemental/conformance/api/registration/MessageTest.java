package io.elemental.conformance.api.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MessageTest {

  @Property(tries = 2000)
  void anyFrameDecodesToAMessageOrAProtocolError(@ForAll byte[] frame) {
    try {
      Message message = Message.decode(frame);
      assertThat(message.encode()).isEqualTo(frame);
    } catch (ProtocolException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property
  void everyKnownTypeRoundTrips(@ForAll("types") MessageType type, @ForAll byte[] payload) throws Exception {
    assertThat(Message.decode(new Message(type, payload).encode())).isEqualTo(new Message(type, payload));
  }

  @Provide
  Arbitrary<MessageType> types() {
    return Arbitraries.of(MessageType.class);
  }

  @Test
  void typesAboveTheNewestAreRefused() {
    assertThatThrownBy(() -> Message.decode(new byte[] {13})).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("unknown message type 13");
    assertThatThrownBy(() -> Message.decode(new byte[] {(byte) 0xff, 1})).isInstanceOf(ProtocolException.class);
  }

  @Test
  void emptyAndOversizedFramesAreRefused() {
    assertThatThrownBy(() -> Message.decode(new byte[0])).hasMessageContaining("empty message");
    assertThatThrownBy(() -> Message.decode(new byte[Message.MAX_SIZE + 1])).hasMessageContaining("exceeds");
  }

  @Test
  void versionNegotiationFollowsTheRealServer() throws Exception {
    assertThat(ProtocolVersion.negotiate(new byte[] {12})).isEqualTo(12);
    assertThat(ProtocolVersion.negotiate(new byte[] {99})).isEqualTo(12);
    assertThat(ProtocolVersion.negotiate(new byte[] {9})).isEqualTo(9);
    assertThatThrownBy(() -> ProtocolVersion.negotiate(new byte[] {4})).hasMessageContaining("deprecated");
    assertThatThrownBy(() -> ProtocolVersion.negotiate(new byte[] {12, 0})).hasMessageContaining("one byte");
    assertThat(ProtocolVersion.offer().encode()).containsExactly(5, 12);
  }
}
