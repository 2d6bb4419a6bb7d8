package io.elemental.conformance.node.tpm;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * swtpm's TCP data channel ({@code swtpm socket --server type=tcp}): raw TPM commands in, raw
 * responses out, no framing. swtpm serves one connection at a time and keeps no per-connection
 * state, so callers open one per operation and close it promptly.
 */
final class SwtpmSocket implements TpmTransport {
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  /** An RSA key generation on a loaded machine can take seconds; a silent TPM for this long is dead. */
  private static final int READ_TIMEOUT_MS = 120_000;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final String address;

  private SwtpmSocket(Socket socket, String address) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.address = address;
  }

  static SwtpmSocket connect(String host, int port) {
    String address = "swtpm:host=" + host + ",port=" + port;
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true); // small request/response pairs: Nagle would add latency to each
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      return new SwtpmSocket(socket, address);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new TpmCommandException("cannot connect to the TPM at " + address + ": " + e.getMessage()
          + ". Fix: is swtpm running with '--server type=tcp,port=" + port + "'?", e);
    }
  }

  @Override
  public byte[] transmit(byte[] command) throws IOException {
    out.write(command);
    out.flush();
    byte[] header = new byte[10];
    in.readFully(header);
    byte[] response = new byte[TpmTransport.responseSize(header)];
    System.arraycopy(header, 0, response, 0, header.length);
    in.readFully(response, header.length, response.length - header.length);
    return response;
  }

  @Override
  public String describe() {
    return address;
  }

  @Override
  public void close() {
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing was pending: every command got its response
    }
  }
}
