"""Files at rest (剩余信息保护 / 数据保密性): raw uploads that hold ID numbers are stored encrypted.

Envelope encryption: each file gets a random data key; the data key is wrapped with the configured ID cipher
(``JIANGXIN_ID_CIPHER`` — Fernet by default, SM4 when chosen) and the content is sealed in 1 MiB chunks with
AES-256-GCM (or SM4-GCM when the configured cipher says ``file_algorithm = "sm4"``). Each chunk's nonce carries
its number and a last-chunk flag, so chunks cannot be reordered, dropped or cut off unnoticed.

Layout: ``JXENC1\\n`` ‖ algorithm ``\\n`` ‖ wrapped key ``\\n`` ‖ chunks of (4-byte length ‖ sealed chunk).
"""

from __future__ import annotations

import base64
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jiangxin.platform.people.crypto import CipherError, get_cipher

MAGIC = b"JXENC1\n"
CHUNK = 1 << 20


def gcm_encrypt(algorithm: str, key: bytes, nonce: bytes, data: bytes) -> bytes:
    if algorithm == "aes":
        return AESGCM(key).encrypt(nonce, data, None)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    return encryptor.update(data) + encryptor.finalize() + encryptor.tag


def gcm_decrypt(algorithm: str, key: bytes, nonce: bytes, sealed: bytes) -> bytes:
    """Raises ValueError when the data or the key is wrong."""
    try:
        if algorithm == "aes":
            return AESGCM(key).decrypt(nonce, sealed, None)
        if len(sealed) < 16:
            raise ValueError("sealed data too short")
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, sealed[-16:])).decryptor()
        return decryptor.update(sealed[:-16]) + decryptor.finalize()
    except InvalidTag as exc:
        raise ValueError("authentication failed") from exc


def _algorithm() -> str:
    return "sm4" if getattr(get_cipher(), "file_algorithm", "") == "sm4" else "aes"


def _nonce(index: int, last: bool) -> bytes:
    return struct.pack(">QI", index, 1 if last else 0)


def is_encrypted(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def encrypt_stream(source: IO[bytes] | Any, dest: Path) -> int:
    """Write ``source`` (a binary file or an UploadedFile) encrypted to ``dest``; returns the plaintext size."""
    algorithm = _algorithm()
    key = os.urandom(16 if algorithm == "sm4" else 32)
    wrapped = get_cipher().encrypt(base64.b64encode(key).decode("ascii"))
    dest.parent.mkdir(parents=True, exist_ok=True)
    chunks = source.chunks(CHUNK) if hasattr(source, "chunks") else iter(lambda: source.read(CHUNK), b"")
    size = 0
    fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(MAGIC + algorithm.encode() + b"\n" + wrapped.encode("ascii") + b"\n")
        pending: bytes | None = None
        index = 0
        for piece in chunks:
            if not piece:
                continue
            size += len(piece)
            if pending is not None:
                _write_chunk(out, algorithm, key, index, pending, last=False)
                index += 1
            pending = bytes(piece)
        _write_chunk(out, algorithm, key, index, pending or b"", last=True)
    return size


def _write_chunk(out: IO[bytes], algorithm: str, key: bytes, index: int, data: bytes, *, last: bool) -> None:
    sealed = gcm_encrypt(algorithm, key, _nonce(index, last), data)
    out.write(struct.pack(">I", len(sealed)) + sealed)


def decrypt_chunks(path: Path) -> Iterator[bytes]:
    """The plaintext of an encrypted file, chunk by chunk; CipherError if it was altered or the key is wrong."""
    with open(path, "rb") as fh:
        if fh.read(len(MAGIC)) != MAGIC:
            raise CipherError("not an encrypted file")
        algorithm = fh.readline().strip().decode("ascii")
        wrapped = fh.readline().strip().decode("ascii")
        key = base64.b64decode(get_cipher().decrypt(wrapped))
        index = 0
        while True:
            head = fh.read(4)
            if len(head) < 4:
                raise CipherError("encrypted file is cut short")
            sealed = fh.read(struct.unpack(">I", head)[0])
            last = fh.peek(1)[:1] == b"" if hasattr(fh, "peek") else False
            try:
                yield gcm_decrypt(algorithm, key, _nonce(index, last), sealed)
            except ValueError as exc:
                raise CipherError("encrypted file was altered or the key is wrong") from exc
            if last:
                return
            index += 1


@contextmanager
def plaintext_copy(path: Path, target: Path) -> Iterator[Path]:
    """A private plaintext copy at ``target`` for the duration of the block (owner-only permissions), removed
    afterwards whatever happens (a copy left by a killed process is replaced, and removed by the job's
    rollback); an unencrypted (legacy) file is used as it is."""
    if not is_encrypted(path):
        yield path
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            for piece in decrypt_chunks(path):
                out.write(piece)
        yield target
    finally:
        target.unlink(missing_ok=True)
