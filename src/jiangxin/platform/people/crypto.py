"""ID numbers at rest: a pluggable cipher plus a keyed hash for lookups.

``settings.JIANGXIN_ID_CIPHER`` names a class with ``encrypt(str) -> str`` and ``decrypt(str) -> str``.
The default :class:`FernetCipher` uses ``settings.JIANGXIN_FIELD_KEY`` (one Fernet key, or several
comma-separated for rotation: the first encrypts, all decrypt) or, when that is empty, a key derived from
``SECRET_KEY`` with HKDF-SHA256. The lookup hash (:func:`id_hash`) is an HMAC-SHA256 of the normalised
number under a separately derived key, so equal numbers can be found without decrypting anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string


class IdCipher(Protocol):
    def encrypt(self, plain: str) -> str: ...

    def decrypt(self, token: str) -> str: ...


class CipherError(Exception):
    """A stored value could not be decrypted (wrong key or damaged data)."""


def _derive(material: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"jiangxin-field-keys", info=info).derive(material)


def _key_material() -> bytes:
    configured = (getattr(settings, "JIANGXIN_FIELD_KEY", "") or "").split(",")[0].strip()
    return configured.encode() if configured else settings.SECRET_KEY.encode()


class FernetCipher:
    """Fernet (AES-128-CBC + HMAC-SHA256, random IV): the same number encrypts differently each time."""

    def __init__(self) -> None:
        configured = [k.strip() for k in (getattr(settings, "JIANGXIN_FIELD_KEY", "") or "").split(",")
                      if k.strip()]
        if configured:
            keys = [Fernet(k.encode()) for k in configured]
        else:
            derived = base64.urlsafe_b64encode(_derive(settings.SECRET_KEY.encode(), b"jiangxin-id-cipher"))
            keys = [Fernet(derived)]
        self._fernet = MultiFernet(keys)

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise CipherError("stored ID number cannot be decrypted with the configured key") from exc


@lru_cache(maxsize=1)
def get_cipher() -> IdCipher:
    """The configured cipher (instantiated once)."""
    cls: Any = import_string(settings.JIANGXIN_ID_CIPHER)
    cipher: IdCipher = cls()
    return cipher


@lru_cache(maxsize=1)
def _hash_key() -> bytes:
    return _derive(_key_material(), b"jiangxin-id-hash")


def normalise_id_number(text: str) -> str:
    """Spaces and hyphens removed, upper-case (so a trailing x and X hash the same)."""
    return str(text).replace(" ", "").replace("-", "").strip().upper()


def id_hash(text: str) -> str:
    """Keyed HMAC-SHA256 (hex) of the normalised number: the lookup key stored in ``Person.id_hash``."""
    return hmac.new(_hash_key(), normalise_id_number(text).encode("utf-8"), hashlib.sha256).hexdigest()


@receiver(setting_changed)
def _reset(*, setting: str, **kwargs: Any) -> None:
    if setting in {"JIANGXIN_ID_CIPHER", "JIANGXIN_FIELD_KEY", "SECRET_KEY"}:
        get_cipher.cache_clear()
        _hash_key.cache_clear()


# --- SM4 (国密) ------------------------------------------------------------------------------------------


def _sm4_keys() -> list[bytes]:
    """16-byte SM4 keys: one per comma-separated ``JIANGXIN_FIELD_KEY`` entry (the first encrypts), each stretched
    with HKDF; or one derived from ``SECRET_KEY``."""
    configured = [k.strip() for k in (getattr(settings, "JIANGXIN_FIELD_KEY", "") or "").split(",") if k.strip()]
    material = [k.encode() for k in configured] or [settings.SECRET_KEY.encode()]
    return [_derive(m, b"jiangxin-id-cipher-sm4")[:16] for m in material]


class SM4Cipher:
    """SM4-GCM (GB/T 32907, via ``cryptography``), random 96-bit nonce: ``sm4:`` + base64(nonce ‖ ciphertext ‖ tag).

    Select with ``JIANGXIN_ID_CIPHER=jiangxin.platform.people.crypto.SM4Cipher``; the raw import files then use
    SM4-GCM as well (:mod:`people.filecrypt`)."""

    file_algorithm = "sm4"
    PREFIX = "sm4:"

    def __init__(self) -> None:
        self._keys = _sm4_keys()

    def encrypt(self, plain: str) -> str:
        import os

        from jiangxin.platform.people.filecrypt import gcm_encrypt

        nonce = os.urandom(12)
        sealed = gcm_encrypt("sm4", self._keys[0], nonce, plain.encode("utf-8"))
        return self.PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def decrypt(self, token: str) -> str:
        from jiangxin.platform.people.filecrypt import gcm_decrypt

        if not token.startswith(self.PREFIX):
            raise CipherError("stored value is not an SM4 token")
        try:
            raw = base64.urlsafe_b64decode(token[len(self.PREFIX):].encode("ascii"))
        except ValueError as exc:
            raise CipherError("stored ID number is damaged") from exc
        for key in self._keys:
            try:
                return gcm_decrypt("sm4", key, raw[:12], raw[12:]).decode("utf-8")
            except ValueError:
                continue
        raise CipherError("stored ID number cannot be decrypted with the configured key")
