package io.elemental.conformance.node.tpm;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The TPM 2.0 commands the register client needs, over one connection. Each method marshals one
 * command, sends it and unmarshals the fields we use; a TPM error becomes a
 * {@link TpmCommandException} naming the command and the response code.
 */
final class TpmCommands implements AutoCloseable {
  private static final int CC_EVICT_CONTROL = 0x120;
  private static final int CC_CREATE_PRIMARY = 0x131;
  private static final int CC_ACTIVATE_CREDENTIAL = 0x147;
  private static final int CC_CERTIFY_CREATION = 0x14A;
  private static final int CC_NV_READ = 0x14E;
  private static final int CC_POLICY_SECRET = 0x151;
  private static final int CC_CREATE = 0x153;
  private static final int CC_LOAD = 0x157;
  private static final int CC_FLUSH_CONTEXT = 0x165;
  private static final int CC_NV_READ_PUBLIC = 0x169;
  private static final int CC_READ_PUBLIC = 0x173;
  private static final int CC_START_AUTH_SESSION = 0x176;
  private static final int CC_GET_CAPABILITY = 0x17A;

  private static final int CAP_HANDLES = 0x00000001;
  private static final int CAP_TPM_PROPERTIES = 0x00000006;
  private static final int SE_POLICY = 0x01;
  private static final int ALG_NULL = 0x0010;
  private static final int ALG_SHA256 = 0x000B;
  private static final int ALG_RSASSA = 0x0014;
  private static final int RETRIES = 5;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A key made by TPM2_Create: the blobs to load it again, and what TPM2_CertifyCreation needs. */
  record CreatedKey(byte[] privateBlob, byte[] publicArea, byte[] creationData, byte[] creationHash,
                    byte[] creationTicket) {}

  /** TPM2_CertifyCreation's output: a bare TPMS_ATTEST and the marshalled TPMT_SIGNATURE. */
  record Certification(byte[] attestation, byte[] signature) {}

  /** The fields of TPMS_NV_PUBLIC this client uses. */
  record NvPublic(int attributes, int dataSize) {
    static final int AUTHREAD = 0x00040000;
    static final int OWNERREAD = 0x00020000;
  }

  private final TpmTransport transport;

  TpmCommands(TpmTransport transport) {
    this.transport = transport;
  }

  static TpmCommands open(Tcti tcti) {
    return new TpmCommands(tcti.open());
  }

  /** TPM2_ReadPublic: the bare TPMT_PUBLIC of a loaded or persistent object. */
  byte[] readPublic(int handle) {
    ResponseReader r = send("TPM2_ReadPublic", "of " + TpmHandles.hex(handle),
        new CommandBuffer(CC_READ_PUBLIC).handle(handle), 0);
    return r.sized("outPublic");
  }

  /** TPM2_CreatePrimary under a hierarchy with an empty password; returns the transient handle. */
  int createPrimary(int hierarchy, byte[] template) {
    CommandBuffer command = new CommandBuffer(CC_CREATE_PRIMARY).handle(hierarchy).auth(AuthSession.emptyPassword());
    creationParameters(command, template);
    return send("TPM2_CreatePrimary", "under " + TpmHandles.hex(hierarchy), command, 1).handle(0);
  }

  /** TPM2_EvictControl by the owner: makes a transient object persistent at {@code persistent}. */
  void evictControl(int object, int persistent) {
    send("TPM2_EvictControl", TpmHandles.hex(object) + " to " + TpmHandles.hex(persistent),
        new CommandBuffer(CC_EVICT_CONTROL).handle(TpmHandles.RH_OWNER).handle(object)
            .auth(AuthSession.emptyPassword()).u32(persistent), 0);
  }

  /** TPM2_Create under {@code parent} (empty password), with creation data and no PCRs. */
  CreatedKey create(int parent, byte[] template) {
    CommandBuffer command = new CommandBuffer(CC_CREATE).handle(parent).auth(AuthSession.emptyPassword());
    creationParameters(command, template);
    ResponseReader r = send("TPM2_Create", "under " + TpmHandles.hex(parent), command, 0);
    byte[] privateBlob = r.sized("outPrivate");
    byte[] publicArea = r.sized("outPublic");
    byte[] creationData = r.sized("creationData");
    byte[] creationHash = r.sized("creationHash");
    byte[] ticket = r.ticket("creationTicket");
    return new CreatedKey(privateBlob, publicArea, creationData, creationHash, ticket);
  }

  /** TPM2_Load of a key made under {@code parent}; returns the transient handle. */
  int load(int parent, byte[] privateBlob, byte[] publicArea) {
    return send("TPM2_Load", "under " + TpmHandles.hex(parent),
        new CommandBuffer(CC_LOAD).handle(parent).auth(AuthSession.emptyPassword())
            .sized(privateBlob).sized(publicArea), 1).handle(0);
  }

  /** TPM2_CertifyCreation signed by {@code signer} (RSASSA-SHA256), no qualifying data, as go-attestation. */
  Certification certifyCreation(int signer, int object, byte[] creationHash, byte[] creationTicket) {
    ResponseReader r = send("TPM2_CertifyCreation", "of " + TpmHandles.hex(object),
        new CommandBuffer(CC_CERTIFY_CREATION).handle(signer).handle(object).auth(AuthSession.emptyPassword())
            .sized(new byte[0]).sized(creationHash).u16(ALG_RSASSA).u16(ALG_SHA256).raw(creationTicket), 0);
    byte[] attestation = r.sized("certifyInfo");
    return new Certification(attestation, r.rsaSignature("signature"));
  }

  void flushContext(int handle) {
    send("TPM2_FlushContext", "of " + TpmHandles.hex(handle), new CommandBuffer(CC_FLUSH_CONTEXT).u32(handle), 0);
  }

  /** TPM2_GetCapability(TPM_CAP_HANDLES): the handles of the type {@code first} starts (the TPM lists no others). */
  List<Integer> handles(int first) {
    List<Integer> handles = new ArrayList<>();
    int next = first;
    while (true) {
      ResponseReader r = send("TPM2_GetCapability", "handles from " + TpmHandles.hex(next),
          new CommandBuffer(CC_GET_CAPABILITY).u32(CAP_HANDLES).u32(next).u32(64), 0);
      boolean more = r.u8("moreData") != 0;
      r.u32("capability");
      int count = r.u32("count");
      int last = next;
      for (int i = 0; i < count; i++) {
        last = r.u32("handle");
        handles.add(last);
      }
      if (!more || count == 0) return handles;
      next = last + 1;
    }
  }

  /** TPM2_GetCapability(TPM_CAP_TPM_PROPERTIES) of one property; -1 when the TPM does not report it. */
  long property(int property) {
    ResponseReader r = send("TPM2_GetCapability", "property " + TpmHandles.hex(property),
        new CommandBuffer(CC_GET_CAPABILITY).u32(CAP_TPM_PROPERTIES).u32(property).u32(1), 0);
    r.u8("moreData");
    r.u32("capability");
    int count = r.u32("count");
    if (count == 0) return -1;
    int reported = r.u32("property");
    long value = r.u32("value") & 0xFFFFFFFFL;
    return reported == property ? value : -1;
  }

  NvPublic nvReadPublic(int index) {
    ResponseReader r = send("TPM2_NV_ReadPublic", "of " + TpmHandles.hex(index),
        new CommandBuffer(CC_NV_READ_PUBLIC).handle(index), 0);
    r.u16("nvPublic size");
    r.u32("nvIndex");
    r.u16("nameAlg");
    int attributes = r.u32("attributes");
    r.sized("authPolicy");
    return new NvPublic(attributes, r.u16("dataSize"));
  }

  /** TPM2_NV_Read of {@code size} bytes at {@code offset}, authorized by {@code auth} with an empty password. */
  byte[] nvRead(int auth, int index, int size, int offset) {
    return send("TPM2_NV_Read", TpmHandles.hex(index) + " at " + offset,
        new CommandBuffer(CC_NV_READ).handle(auth).handle(index).auth(AuthSession.emptyPassword())
            .u16(size).u16(offset), 0).sized("data");
  }

  /** TPM2_StartAuthSession: an unbound, unsalted SHA-256 policy session; returns its handle. */
  int startPolicySession() {
    byte[] nonce = new byte[32];
    RANDOM.nextBytes(nonce);
    return send("TPM2_StartAuthSession", "policy session",
        new CommandBuffer(CC_START_AUTH_SESSION).handle(TpmHandles.RH_NULL).handle(TpmHandles.RH_NULL)
            .sized(nonce).sized(new byte[0]).u8(SE_POLICY).u16(ALG_NULL).u16(ALG_SHA256), 1).handle(0);
  }

  /** TPM2_PolicySecret: adds "knows {@code auth}'s (empty) password" to the session's policy. */
  void policySecret(int auth, int session) {
    send("TPM2_PolicySecret", "with " + TpmHandles.hex(auth),
        new CommandBuffer(CC_POLICY_SECRET).handle(auth).handle(session).auth(AuthSession.emptyPassword())
            .sized(new byte[0]).sized(new byte[0]).sized(new byte[0]).u32(0), 0);
  }

  /**
   * TPM2_ActivateCredential: {@code credential} (TPM2B_ID_OBJECT) and {@code secret}
   * (TPM2B_ENCRYPTED_SECRET) keep their size prefix, as the server sent them.
   */
  byte[] activateCredential(int key, int ek, int ekSession, byte[] credential, byte[] secret) {
    return send("TPM2_ActivateCredential", "AK " + TpmHandles.hex(key) + ", EK " + TpmHandles.hex(ek),
        new CommandBuffer(CC_ACTIVATE_CREDENTIAL).handle(key).handle(ek)
            .auth(AuthSession.emptyPassword()).auth(AuthSession.policy(ekSession))
            .raw(credential).raw(secret), 0).sized("certInfo");
  }

  /** Best effort flush of every handle of one type: leftovers of an interrupted run. */
  void flushAll(int first) {
    for (int handle : handles(first)) {
      try {
        flushContext(handle);
      } catch (TpmCommandException e) {
        // gone meanwhile, or not ours to flush (a resource manager hides other clients' objects)
      }
    }
  }

  /** Like flushContext, but for finally blocks: a failure here must not hide the real one. */
  void flushQuietly(int handle) {
    try {
      flushContext(handle);
    } catch (TpmCommandException e) {
      // already flushed (a policy session used with continueSession clear), or the TPM is gone
    }
  }

  @Override
  public void close() {
    transport.close();
  }

  /** inSensitive (empty auth, no data), inPublic, empty outsideInfo, no creation PCRs. */
  private static void creationParameters(CommandBuffer command, byte[] template) {
    command.sized(new byte[] {0, 0, /* userAuth */ 0, 0 /* data */}); // TPM2B_SENSITIVE_CREATE
    command.sized(template).sized(new byte[0]).u32(0);
  }

  private ResponseReader send(String name, String what, CommandBuffer command, int handleCount) {
    byte[] bytes = command.toBytes();
    for (int attempt = 1; ; attempt++) {
      byte[] response;
      try {
        response = transport.transmit(bytes);
      } catch (IOException e) {
        throw new TpmCommandException(name + " (" + what + ") got no answer from the TPM at " + transport.describe()
            + ": " + e.getMessage() + ". Fix: check the TPM (swtpm process, /dev/tpmrm0) is up and not used by a"
            + " program that left it mid-command", e);
      }
      try {
        return ResponseReader.read(name, response, handleCount);
      } catch (TpmCommandException e) {
        if (attempt < RETRIES && TpmRc.retryable(e.responseCode())) {
          pause(attempt);
          continue;
        }
        if (e.responseCode() == TpmCommandException.NO_RESPONSE_CODE) throw e;
        throw new TpmCommandException(name, e.responseCode(), what);
      }
    }
  }

  private static void pause(int attempt) {
    try {
      Thread.sleep(20L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TpmCommandException("interrupted while the TPM asked to retry", e);
    }
  }
}
