"""Personal-data fields (SEC-2): encrypted at rest, masked by default.

The database holds a Fernet token ("enc:v1:..."), never the clear text. Exact-match lookups
(a caller's phone number, CASE-1) go through a separate blind-index field holding an HMAC.
Revealing a value is a permission and an audited action: see ``lianxin.audit.services``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

PREFIX = "enc:v1:"


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    raw = key.encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32:
            return Fernet(raw)
    except (ValueError, TypeError):
        pass
    # A passphrase: derive a 32-byte key from it.
    derived = hashlib.pbkdf2_hmac("sha256", raw, b"lianxin-personal-data", 100_000)
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(value: str) -> str:
    return PREFIX + _fernet(settings.DATA_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    if not value.startswith(PREFIX):
        return value
    try:
        return _fernet(settings.DATA_ENCRYPTION_KEY).decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:  # a wrong key must fail loudly, never show ciphertext
        raise ValueError("personal data cannot be decrypted with the configured key") from exc


def blind_index(value: str) -> str:
    """A keyed hash for exact-match lookups on an encrypted value (normalised first)."""
    normalised = "".join(value.split()).upper()
    key = settings.DATA_INDEX_KEY.encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text field whose value is encrypted in the database (SEC-2).

    Declared with ``personal=True`` semantics: the audit trail records that it changed,
    never its value; pages show it masked unless the actor may reveal it.
    """

    personal_data = True

    def __init__(self, *args: Any, mask: str = "text", **kwargs: Any) -> None:
        self.mask = mask
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.mask != "text":
            kwargs["mask"] = self.mask
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str:
        if value is None or value == "":
            return ""
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return ""
        return encrypt(str(value))


def mask_value(value: str, kind: str = "text") -> str:
    """Masks a personal value for roles that do not need it (SEC-2)."""
    if not value:
        return ""
    if kind == "phone":
        digits = value.strip()
        return digits[:3] + "****" + digits[-4:] if len(digits) >= 7 else "****"
    if kind == "id_number":
        v = value.strip()
        return v[:1] + "*" * max(len(v) - 2, 4) + v[-1:] if len(v) > 2 else "**"
    if kind == "name":
        return value[0] + "*" * max(len(value) - 1, 1)
    if kind == "bank_account":
        v = value.replace(" ", "")
        return "****" + v[-4:]
    if kind == "address":
        return value[:6] + "……" if len(value) > 6 else "……"
    return value[:1] + "***" if len(value) > 1 else "***"
