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
