"""A demo/test certificate authority (演示用证书): one root and one signing certificate per issuing office.

Made with ``cryptography`` at ``load_demo`` time (and by the tests) under ``var/signing/``; private keys are never
committed. A real deployment configures the office certificates its CA issued (see :mod:`.signing`) instead.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_KEY, CA_CERT = "ca.key.pem", "ca.cert.pem"


def _cap(text: str, limit: int = 64) -> str:
    """X.509 caps these attributes at 64 (counted in UTF-8 bytes by cryptography)."""
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def _name(common: str, org: str = "匠心演示") -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, _cap(org)),
                      x509.NameAttribute(NameOID.COMMON_NAME, _cap(common))])


def _write_key(path: Path, key: Any) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    path.chmod(0o600)


def _load(directory: Path) -> tuple[Any, x509.Certificate]:
    key = serialization.load_pem_private_key((directory / CA_KEY).read_bytes(), None)
    return key, x509.load_pem_x509_certificate((directory / CA_CERT).read_bytes())


def ensure_ca(directory: Path) -> Path:
    """The demo root (created once); returns the path of its certificate (the trust root for validation)."""
    directory.mkdir(parents=True, exist_ok=True)
    if (directory / CA_KEY).is_file() and (directory / CA_CERT).is_file():
        return directory / CA_CERT
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    name = _name("匠心演示根证书（仅供演示，不具法律效力）")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    _write_key(directory / CA_KEY, key)
    (directory / CA_CERT).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return directory / CA_CERT


def ensure_office(directory: Path, stem: str, office_name: str) -> tuple[Path, Path]:
    """An office signing key and certificate issued by the demo root: ``<stem>.key.pem``, ``<stem>.cert.pem``."""
    ensure_ca(directory)
    key_path, cert_path = directory / f"{stem}.key.pem", directory / f"{stem}.cert.pem"
    if key_path.is_file() and cert_path.is_file():
        return key_path, cert_path
    ca_key, ca_cert = _load(directory)
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    cert = (x509.CertificateBuilder().subject_name(_name(f"{_cap(office_name, 46)}（演示）", office_name))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1825))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    _write_key(key_path, key)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path
