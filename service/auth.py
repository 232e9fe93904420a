"""Who is asking: OpenID Connect bearer tokens (JWT) checked with PyJWT, and Carnet as its own issuer.

A hospital plugs in its identity provider (Pro Santé Connect is OIDC) with `CARNET_AUTH_ISSUER` and
`CARNET_AUTH_JWKS` (a JWKS file, or an https URL fetched on first use and cached); the audience,
expiry and clock skew are checked. On a laptop, Carnet is its own issuer: the store holds an ES256
signing key (`<home>/auth/signing-key.pem`, created at first use with 0600 permissions) and
`carnet access token PRACTITIONER` signs tokens with it. Only asymmetric algorithms are accepted
(never `none`, never a shared secret).

The token's subject is the practitioner's identifier (RPPS, or the identity provider's own id); the
role comes from a claim (`roles` by default; `realm_access.roles` style paths work): `administrator`
manages grants and ingests and reads no document, `patient` reads its own access trace, anything else
(or no claim) is a `practitioner`.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from carnet.config import Settings
from carnet.errors import InvalidInput, Unauthenticated

LOCAL_ISSUER = "urn:carnet:local"
LOCAL_ALGORITHM = "ES256"
ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
Role = Literal["practitioner", "administrator", "patient"]
ROLES: tuple[str, ...] = ("practitioner", "administrator", "patient")


@dataclass(frozen=True)
class Principal:
    """The authenticated caller."""

    id: str  # the practitioner's (or administrator's) identifier: the token's subject
    role: Role
    name: str | None = None
    issuer: str = LOCAL_ISSUER
    patient_id: str | None = None  # role "patient": whose trace it may read

    @property
    def label(self) -> str:
        return f"{self.role} {self.id}"


# The local command-line administrator (carnet access ..., carnet audit): it acts on the store directly.
LOCAL_ADMINISTRATOR = Principal(id="local-administrator", role="administrator", name="carnet CLI")


class LocalIssuer:
    """The store's own signing key and the tokens it signs."""

    def __init__(self, home: Path):
        self.path = Path(home) / "auth" / "signing-key.pem"
        self._lock = threading.Lock()
        self._key: ec.EllipticCurvePrivateKey | None = None

    def private_key(self) -> ec.EllipticCurvePrivateKey:
        with self._lock:
            if self._key is None:
                self._key = self._load_or_create()
            return self._key

    def _load_or_create(self) -> ec.EllipticCurvePrivateKey:
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(self.path.parent, 0o700)
            key = ec.generate_private_key(ec.SECP256R1())
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
            try:  # O_EXCL: two processes starting at once keep one key
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass
            else:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(pem)
        key = serialization.load_pem_private_key(self.path.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise InvalidInput(f"{self.path} does not hold an EC private key.")
        return key

    def public_key(self):
        return self.private_key().public_key()

    def issue(self, subject: str, role: str = "practitioner", *, name: str | None = None, hours: float = 12,
              audience: str = "carnet", patient_id: str | None = None) -> str:
        if not subject or not subject.strip():
            raise InvalidInput("The practitioner's identifier is empty.")
        if role not in ROLES:
            raise InvalidInput(f"role must be one of {', '.join(ROLES)}. Currently, role is {role!r}")
        if not 0 < hours <= 24 * 31:
            raise InvalidInput(f"hours must be between 0 and 744. Currently, hours is {hours}")
        now = int(time.time())
        claims: dict[str, Any] = {"iss": LOCAL_ISSUER, "sub": subject.strip(), "aud": audience, "iat": now,
                                  "exp": now + int(hours * 3600), "roles": [role]}
        if name:
            claims["name"] = name
        if patient_id:
            claims["patient"] = patient_id
        return jwt.encode(claims, self.private_key(), algorithm=LOCAL_ALGORITHM)


VERIFIED_TOKENS = 1024  # tokens whose verification the server remembers (LRU), until their expiry


class TokenVerifier:
    """Checks a bearer token against the trusted issuers and returns its Principal. Cheap to construct:
    keys are read (or fetched) on first use."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.local = LocalIssuer(settings.home) if settings.trusts_local_tokens else None
        self._jwks_lock = threading.Lock()
        self._jwk_client: jwt.PyJWKClient | None = None
        self._jwk_set: jwt.PyJWKSet | None = None
        if settings.auth_issuer and not settings.auth_jwks:
            raise InvalidInput("CARNET_AUTH_ISSUER is set without CARNET_AUTH_JWKS (the issuer's keys: a JWKS file "
                               "or an https URL).")
        # Tokens already verified, until they expire: a doctor's page sends the same token with every
        # question, and checking its signature again is most of the cost of authenticating (about 1 ms).
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._verified_lock = threading.Lock()

    def remembered(self, token: str) -> Principal | None:
        """The caller of a token verified before and not expired yet; None: `verify` must check it."""
        now = time.time()
        with self._verified_lock:
            hit = self._verified.get(token)
            if hit is not None and now < hit[1]:
                self._verified.move_to_end(token)
                return hit[0]
        return None

    def verify(self, token: str) -> Principal:
        remembered = self.remembered(token)
        if remembered is not None:
            return remembered
        principal, expires = self._verify(token)
        with self._verified_lock:
            self._verified[token] = (principal, expires)
            while len(self._verified) > VERIFIED_TOKENS:
                self._verified.popitem(last=False)
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        """The token's caller and the time it expires (its `exp`, without the leeway)."""
        try:
            header = jwt.get_unverified_header(token)
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
        except jwt.PyJWTError as e:
            raise Unauthenticated("The bearer token is not a valid JWT.") from e
        algorithms = [a for a in self.settings.auth_algorithms if a in ASYMMETRIC]
        if header.get("alg") not in algorithms:
            raise Unauthenticated(f"Tokens signed with {header.get('alg')!r} are not accepted.")
        if self.local is not None and issuer == LOCAL_ISSUER:
            key = self.local.public_key()
        elif self.settings.auth_issuer and issuer == self.settings.auth_issuer:
            key = self._issuer_key(token, header)
        else:
            raise Unauthenticated("The token's issuer is not trusted by this server.")
        try:
            claims = jwt.decode(token, key, algorithms=algorithms, audience=self.settings.auth_audience,
                                issuer=issuer, leeway=self.settings.auth_leeway_seconds,
                                options={"require": ["exp", "iss", "aud"]})
        except jwt.ExpiredSignatureError as e:
            raise Unauthenticated("The token has expired: sign in again.") from e
        except jwt.PyJWTError as e:
            raise Unauthenticated(f"The token was refused ({type(e).__name__}).") from e
        return principal_from_claims(claims, self.settings, issuer), float(claims["exp"])

    def _issuer_key(self, token: str, header: dict):
        source = self.settings.auth_jwks or ""
        try:
            if source.startswith(("https://", "http://")):
                with self._jwks_lock:
                    if self._jwk_client is None:  # fetched only when configured, on first use, then cached
                        self._jwk_client = jwt.PyJWKClient(source, cache_keys=True, lifespan=3600, timeout=10)
                return self._jwk_client.get_signing_key_from_jwt(token).key
            with self._jwks_lock:
                if self._jwk_set is None:
                    self._jwk_set = jwt.PyJWKSet.from_dict(json.loads(Path(source).read_text(encoding="utf-8")))
            keys = self._jwk_set.keys
            kid = header.get("kid")
            matching = [k for k in keys if k.key_id == kid] if kid else keys
            if len(matching) != 1:
                raise Unauthenticated("No single key of the issuer matches the token's key id.")
            return matching[0].key
        except (jwt.PyJWKClientError, jwt.PyJWKSetError, OSError, ValueError) as e:
            raise Unauthenticated(f"The issuer's keys could not be read ({type(e).__name__}).") from e


def _claim(claims: dict, path: str) -> Any:
    value: Any = claims
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def principal_from_claims(claims: dict, settings: Settings, issuer: str) -> Principal:
    subject = _claim(claims, settings.auth_subject_claim)
    if not isinstance(subject, str) or not subject.strip():
        raise Unauthenticated(f"The token has no {settings.auth_subject_claim!r} claim naming the caller.")
    raw = _claim(claims, settings.auth_role_claim)
    values = {v.strip().lower() for v in (raw if isinstance(raw, list) else [raw]) if isinstance(v, str)}
    role: Role = "administrator" if "administrator" in values else "patient" if "patient" in values else "practitioner"
    name = claims.get("name") if isinstance(claims.get("name"), str) else None
    patient = None
    if role == "patient":
        patient = claims.get("patient") if isinstance(claims.get("patient"), str) else subject
    return Principal(id=subject.strip(), role=role, name=name, issuer=issuer, patient_id=patient)
