"""With AGORA_FEDERATION_DEBUG (loopback tests) plain http is allowed, not forced: a peer that serves https on
loopback, as real instances do, is found by its handle (WebFinger) and its NodeInfo over https."""

from __future__ import annotations

import datetime
import ipaddress
from pathlib import Path

import certifi
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.federation.conftest import FAST
from tests.federation.peer import Peer
from tests.support.admin import make_admin

pytestmark = pytest.mark.federation


def _certificates(folder) -> tuple[str, str, str]:
    """(a CA bundle that trusts it, certificate, key) for 127.0.0.1, made for this test."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    bundle, cert_file, key_file = folder / "bundle.pem", folder / "cert.pem", folder / "key.pem"
    bundle.write_bytes(Path(certifi.where()).read_bytes() + ca.public_bytes(pem))
    cert_file.write_bytes(certificate.public_bytes(pem))
    key_file.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return str(bundle), str(cert_file), str(key_file)


def test_a_peer_on_https_is_found_by_its_handle(server_factory, tmp_path, monkeypatch):
    bundle, certificate, key = _certificates(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", bundle)  # the server's client trusts the test CA, as a real one trusts a CA
    server = server_factory(**FAST)
    admin = make_admin(server)
    peer = Peer(tls=(certificate, key)).start()
    try:
        peer.person("secure")
        peer.group("safe")
        found = admin.api.get("/resolve_object", q=f"@secure@{peer.domain}")["person"]["person"]
        assert found["actor_id"] == f"https://{peer.domain}/u/secure"
        found = admin.api.get("/resolve_object", q=f"!safe@{peer.domain}")["community"]["community"]
        assert found["actor_id"] == f"https://{peer.domain}/c/safe"
    finally:
        peer.stop()
