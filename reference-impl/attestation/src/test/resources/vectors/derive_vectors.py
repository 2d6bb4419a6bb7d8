#!/usr/bin/env python3
"""Derives the KDFa and credential vectors used by KdfaTest and CredentialMakerTest.

Written from TPM 2.0 Part 1 (KDFa, section 11.4.10.2; credential protection, section 24)
with nothing but hmac/hashlib and the 'cryptography' package, so the Java code is checked
against an independent implementation, not against its own output. Run: python3 derive_vectors.py
"""
import hashlib
import hmac
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


def kdfa(key, label, context_u, context_v, bits):
    out = b""
    counter = 1
    while len(out) * 8 < bits:
        data = struct.pack(">I", counter) + label + b"\x00" + context_u + context_v + struct.pack(">I", bits)
        out += hmac.new(key, data, hashlib.sha256).digest()
        counter += 1
    out = out[: (bits + 7) // 8]
    if bits % 8:
        out = bytes([out[0] & ((1 << (bits % 8)) - 1)]) + out[1:]
    return out


def identity_object(seed, name, secret):
    sym_key = kdfa(seed, b"STORAGE", name, b"", 128)
    cv = struct.pack(">H", len(secret)) + secret
    enc = Cipher(algorithms.AES(sym_key), modes.CFB(b"\x00" * 16)).encryptor()
    enc_identity = enc.update(cv) + enc.finalize()
    hmac_key = kdfa(seed, b"INTEGRITY", b"", b"", 256)
    outer = hmac.new(hmac_key, enc_identity + name, hashlib.sha256).digest()
    body = struct.pack(">H", len(outer)) + outer + enc_identity
    return struct.pack(">H", len(body)) + body


seed16 = bytes(range(16))
name = bytes.fromhex("000b") + hashlib.sha256(b"elemental-ak").digest()
print("name      ", name.hex())
print("storage   ", kdfa(seed16, b"STORAGE", name, b"", 128).hex())
print("integrity ", kdfa(seed16, b"INTEGRITY", b"", b"", 256).hex())
print("bits12    ", kdfa(b"k", b"L", b"u", b"v", 12).hex())
print("bits520   ", kdfa(b"key", b"LONG", b"", b"", 520).hex())
secret = bytes(range(100, 132))
print("credential", identity_object(seed16, name, secret).hex())
