"""Digital signatures on issued PDFs (电子签章): the :class:`Signer` interface and its PAdES implementations.

Callers only ever do ``get_signer().sign(pdf, office=..., reason=...)`` and get a :class:`SignedFile`. Which class
signs is the setting ``JIANGXIN_PDF_SIGNER`` (a dotted path), so a national e-seal signer (SM2/SM3, GM/T 0031) can
be added as another class without touching any caller. See docs/decisions/0026-pdf-signing-and-verification.md.

Settings (``JIANGXIN_PDF_SIGNING``, a dict; every key optional):

- ``key_dir``: a folder holding ``office-<organisation id>.key.pem`` / ``.cert.pem`` per issuing office, and
  ``ca.cert.pem`` (the chain embedded in the signature). Default ``var/signing`` (where the demo writes its test CA);
- ``key_file`` / ``cert_file`` / ``chain_files``: one certificate for every office that has none of its own;
- ``key_passphrase_env``: the environment variable holding the key's passphrase (never the passphrase itself);
- ``pkcs11``: for :class:`Pkcs11Signer` — ``module`` (the token's PKCS#11 library), ``token_label``,
  ``key_label``, ``cert_label``, ``pin_env`` (the environment variable holding the user PIN).
"""

from __future__ import annotations

import dataclasses
import io
import os
from functools import cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

DEFAULT_SIGNER = "jiangxin.platform.documents.signing.PadesKeyFileSigner"
FIELD_NAME = "JiangxinSignature"


class SigningUnavailable(RuntimeError):
    """No certificate is configured for this office; the message says what the operator must do (Chinese)."""


@dataclasses.dataclass(frozen=True)
class SignedFile:
    data: bytes
    signer: str  # the signing certificate's subject, shown to staff


@runtime_checkable
class Signer(Protocol):
    """Signs one finished PDF for one issuing office. Must return a complete PDF whose signature covers the whole
    file (any byte changed afterwards breaks it), and never modify the visible content."""

    def sign(self, pdf: bytes, *, office: Any, reason: str, location: str = "") -> SignedFile: ...


def signing_settings() -> dict[str, Any]:
    configured = dict(getattr(settings, "JIANGXIN_PDF_SIGNING", {}) or {})
    configured.setdefault("key_dir", str(Path(settings.VAR_DIR) / "signing"))
    return configured


def office_stem(office: Any) -> str:
    return f"office-{office.pk}" if office is not None and getattr(office, "pk", None) else "office-default"


def _pades_sign(pdf: bytes, signer: Any, *, reason: str, location: str) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason or None, location=location or None,
                                        subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.sign_pdf(writer, meta, signer=signer)
    return bytes(out.getvalue())


class PadesKeyFileSigner:
    """PAdES B-B with the office's key and certificate files (PEM), via pyHanko."""

    def _files(self, office: Any) -> tuple[Path, Path, list[Path]]:
        conf = signing_settings()
        key_dir = Path(conf["key_dir"])
        chain = [Path(p) for p in conf.get("chain_files", [])] or [p for p in [key_dir / "ca.cert.pem"] if p.is_file()]
        stem = office_stem(office)
        key, cert = key_dir / f"{stem}.key.pem", key_dir / f"{stem}.cert.pem"
        if key.is_file() and cert.is_file():
            return key, cert, chain
        if conf.get("key_file") and conf.get("cert_file"):
            return Path(conf["key_file"]), Path(conf["cert_file"]), chain
        raise SigningUnavailable(
            _("未配置%(office)s的签名证书：请在 %(dir)s 放置 %(stem)s.key.pem 与 %(stem)s.cert.pem，"
              "或在设置中配置 JIANGXIN_PDF_KEY_FILE / JIANGXIN_PDF_CERT_FILE。")
            % {"office": getattr(office, "name", "") or _("发证机关"), "dir": key_dir, "stem": stem})

    def sign(self, pdf: bytes, *, office: Any, reason: str, location: str = "") -> SignedFile:
        key, cert, chain = self._files(office)
        signer = _load_simple_signer(str(key), str(cert), tuple(str(c) for c in chain),
                                     signing_settings().get("key_passphrase_env", ""))
        return SignedFile(_pades_sign(pdf, signer, reason=reason, location=location),
                          signer.signing_cert.subject.human_friendly)


@cache
def _load_simple_signer(key: str, cert: str, chain: tuple[str, ...], passphrase_env: str) -> Any:
    from pyhanko.sign import signers

    passphrase = os.environ.get(passphrase_env, "").encode() if passphrase_env else None
    signer = signers.SimpleSigner.load(key, cert, ca_chain_files=chain, key_passphrase=passphrase or None)
    if signer is None:
        raise SigningUnavailable(_("签名证书或私钥无法读取：%(cert)s") % {"cert": cert})
    return signer


class Pkcs11Signer:
    """PAdES B-B with a key kept on a PKCS#11 token (USB key, HSM), via pyHanko's pkcs11 support.

    Needs ``pip install 'pyHanko[pkcs11]'`` and ``JIANGXIN_PDF_SIGNING["pkcs11"]`` (see the module docstring)."""

    def sign(self, pdf: bytes, *, office: Any, reason: str, location: str = "") -> SignedFile:
        conf = dict(signing_settings().get("pkcs11") or {})
        if not conf.get("module"):
            raise SigningUnavailable(_("未配置 PKCS#11 签名设备：请设置 JIANGXIN_PKCS11_MODULE 等。"))
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11

        pin = os.environ.get(str(conf.get("pin_env", "JIANGXIN_PKCS11_PIN")), "")
        session = pkcs11.open_pkcs11_session(conf["module"], token_criteria=TokenCriteria(label=conf.get("token_label") or None),
                                             user_pin=pin)
        try:
            signer = pkcs11.PKCS11Signer(session, cert_label=conf.get("cert_label") or None,
                                         key_label=conf.get("key_label") or None)
            data = _pades_sign(pdf, signer, reason=reason, location=location)
            return SignedFile(data, signer.signing_cert.subject.human_friendly)
        finally:
            session.close()


def get_signer() -> Signer:
    cls = import_string(str(getattr(settings, "JIANGXIN_PDF_SIGNER", "") or DEFAULT_SIGNER))
    signer = cls()
    if not isinstance(signer, Signer):
        raise TypeError(f"{cls} does not implement documents.signing.Signer")
    return signer  # type: ignore[no-any-return]
