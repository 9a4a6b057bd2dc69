"""HTTP Signatures as the fediverse uses them (draft-cavage-http-signatures-12, rsa-sha256, with a SHA-256 Digest).

Outgoing: `sign_headers` makes Date, Host, Digest and Signature over `(request-target) host date digest` (GET: no
digest). Incoming: `verify` checks the listed headers are present and signed, the Date is fresh, the Digest matches
the body, and the signature verifies under the sender's public key; every failure says why.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

_PARAM = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
REQUIRED = {"(request-target)", "host", "date"}
ALGORITHMS = {"rsa-sha256", "hs2019"}  # hs2019: "derive from the key", which for these keys is RSA-SHA256


class SignatureError(Exception):
    """The request is not signed as it must be; the message says what is wrong."""


def digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def _signing_string(names: list[str], method: str, path: str, headers: dict[str, str]) -> str:
    lines = []
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {method.lower()} {path}")
        else:
            lines.append(f"{name}: {headers[name]}")
    return "\n".join(lines)


def sign_headers(method: str, url: str, body: bytes | None, key_id: str, private_key_pem: str) -> dict[str, str]:
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    headers = {"host": parts.netloc, "date": format_datetime(datetime.now(UTC), usegmt=True)}
    names = ["(request-target)", "host", "date"]
    if body is not None:
        headers["digest"] = digest(body)
        names.append("digest")
    signed = _private_key(private_key_pem).sign(
        _signing_string(names, method, path, headers).encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    headers["signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
        f'signature="{base64.b64encode(signed).decode()}"'
    )
    out = {"Host": headers["host"], "Date": headers["date"], "Signature": headers["signature"]}
    if body is not None:
        out["Digest"] = headers["digest"]
    return out


def parse_signature(value: str) -> dict[str, str]:
    params = {k.lower(): v for k, v in _PARAM.findall(value or "")}
    for needed in ("keyid", "signature"):
        if not params.get(needed):
            raise SignatureError(f"Signature header has no {needed}")
    return params


def key_id_of(headers: Mapping[str, str]) -> str:
    return parse_signature(_lower(headers).get("signature", ""))["keyid"]


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in dict(headers).items()}


def verify(
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes | None,
    public_key_pem: str,
    *,
    max_skew_seconds: int = 3600,
) -> None:
    """Raise SignatureError unless the request is signed by the holder of `public_key_pem`."""
    lowered = _lower(headers)
    params = parse_signature(lowered.get("signature", ""))
    algorithm = params.get("algorithm", "rsa-sha256").lower()
    if algorithm not in ALGORITHMS:
        raise SignatureError(f"unsupported signature algorithm {algorithm}")
    names = (params.get("headers") or "date").lower().split()
    missing_cover = REQUIRED - set(names)
    if missing_cover:
        raise SignatureError(f"the signature does not cover {', '.join(sorted(missing_cover))}")
    if body is not None and method.upper() == "POST" and "digest" not in names:
        raise SignatureError("the signature does not cover the digest of the body")
    for name in names:
        if name != "(request-target)" and name not in lowered:
            raise SignatureError(f"signed header {name} is missing")
    try:
        sent = parsedate_to_datetime(lowered["date"])
    except (TypeError, ValueError) as error:
        raise SignatureError("Date header is not an HTTP date") from error
    if sent.tzinfo is None:
        sent = sent.replace(tzinfo=UTC)
    skew = abs((datetime.now(UTC) - sent).total_seconds())
    if skew > max_skew_seconds:
        raise SignatureError(f"Date is {int(skew)} s away from now")
    if "digest" in names:
        offered = {
            part.split("=", 1)[0].strip().lower(): part.split("=", 1)[1].strip()
            for part in lowered["digest"].split(",")
            if "=" in part
        }
        expected = digest(body or b"").split("=", 1)[1]
        if offered.get("sha-256") != expected:
            raise SignatureError("Digest does not match the body")
    key = _public_key(public_key_pem)
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except ValueError as error:
        raise SignatureError("signature is not base64") from error
    message = _signing_string(names, method, path, lowered).encode()
    try:
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature as error:
        raise SignatureError("signature does not verify") from error


@lru_cache(maxsize=4096)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    """Our own actors' keys, parsed once per process. Parsing checks an RSA key's math, ~60 ms each time: a
    signature per delivery would cost that much. These keys are ours (we made them), so the check is skipped."""
    key = serialization.load_pem_private_key(pem.encode(), password=None, unsafe_skip_rsa_key_validation=True)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SignatureError("an actor's key is not an RSA key")
    return key


@lru_cache(maxsize=4096)
def _public_key(pem: str) -> rsa.RSAPublicKey:
    """Senders' keys, parsed once per process (verifying is then ~30 µs)."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except ValueError as error:
        raise SignatureError("the sender's public key is not a PEM key") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError("only RSA keys are accepted")
    return key


def generate_key_pair() -> tuple[str, str]:
    """A new RSA 2048 key pair as (private PEM, public PEM); CPU work of ~50 ms, run it in a thread."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public
