"""The second factor at login (SEC-3): primitives shared by the services and the views.

- TOTP (RFC 6238) with the standard library: 30-second steps, 6 digits, HMAC-SHA-1, one step
  of tolerance either way; the service stores the last accepted step so a code is never
  accepted twice.
- SMS codes: 6 digits, valid 5 minutes, a few attempts each, resend throttled; kept hashed in
  the shared cache (like the login throttle), never in clear.
- Recovery codes: 10 one-time codes, stored as keyed hashes.
- The policy: ``settings.MFA_REQUIRED_ROLES`` (env ``LIANXIN_MFA_REQUIRED_ROLES``) lists the
  roles that must use a second factor; empty means optional for everybody.
- The pending login: after the right password, the session holds only a marker (user id,
  time) until the second factor is checked; ``django.contrib.auth.login`` runs after that.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from lianxin.accounts.models import RoleAssignment, SecondFactor, User

# --- TOTP (RFC 6238) -----------------------------------------------------------------------

STEP_SECONDS = 30
DIGITS = 6
TOLERANCE_STEPS = 1
ISSUER = "连心桥"


def new_totp_secret() -> str:
    """160 random bits in base32 without padding, as authenticator apps expect."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _key(secret: str) -> bytes:
    clean = "".join(secret.split()).upper()
    return base64.b32decode(clean + "=" * (-len(clean) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: dynamic truncation of HMAC-SHA-1 over the 8-byte counter."""
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    (value,) = struct.unpack(">I", digest[offset : offset + 4])
    return str((value & 0x7FFFFFFF) % 10**digits).zfill(digits)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def totp(secret: str, now: float | None = None) -> str:
    """The code an authenticator app shows at ``now`` (tests and enrolment)."""
    return hotp(_key(secret), current_step(now))


def totp_match(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step ``code`` belongs to (within the tolerance), or None."""
    code = normalise_digits(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = _key(secret)
    step = current_step(now)
    for candidate in (step, step - 1, step + 1):
        if hmac.compare_digest(hotp(key, candidate), code):
            return candidate
    return None


def otpauth_uri(secret: str, account: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    label = quote(f"{ISSUER}:{account}")
    query = urlencode(
        {
            "secret": secret,
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        },
        quote_via=quote,
    )
    return f"otpauth://totp/{label}?{query}"


def qr_svg(text: str) -> str:
    """An inline SVG QR code of ``text`` (segno; nothing loaded from the internet)."""
    import segno

    svg: str = segno.make(text, error="m").svg_inline(
        scale=5, border=2, omitsize=True, title="二维码"
    )
    return svg


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- Codes: normalising and hashing --------------------------------------------------------

_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud, typed by hand
RECOVERY_COUNT = 10
RECOVERY_LENGTH = 10


def normalise_digits(value: str) -> str:
    return "".join(value.translate(_FULL_WIDTH).split()).replace("-", "")


def normalise_recovery(value: str) -> str:
    return normalise_digits(value).upper()


def code_hash(user_id: int, purpose: str, code: str) -> str:
    """A keyed hash of a one-time code: useless without the server's key."""
    key = hashlib.sha256(f"lianxin-second-factor:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, f"{purpose}:{user_id}:{code}".encode(), hashlib.sha256).hexdigest()


def new_recovery_codes() -> list[str]:
    """Ten codes like ``K7PM2-XQ9RB``, shown once at enrolment."""
    codes = []
    for _ in range(RECOVERY_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def looks_like_recovery_code(value: str) -> bool:
    clean = normalise_recovery(value)
    return len(clean) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in clean)


# --- SMS codes -----------------------------------------------------------------------------

SMS_VALID_SECONDS = 5 * 60
SMS_ATTEMPTS = 5
SMS_RESEND_SECONDS = 60
SMS_MAX_SENDS_PER_HOUR = 5


@dataclass(frozen=True)
class SmsResult:
    sent: bool
    wait: int = 0  # seconds before another code may be sent


def _sms_key(user_id: int, purpose: str) -> str:
    return f"lianxin:mfa:sms:{purpose}:{user_id}"


def sms_send_code(*, user: User, phone: str, purpose: str) -> SmsResult:
    """Sends a fresh 6-digit code to ``phone`` unless the resend throttle says wait."""
    from django.utils.translation import gettext as _

    from lianxin.notifications.senders import sms_sender

    key = _sms_key(user.pk, purpose)
    now = time.time()
    state: dict[str, Any] = cache.get(key) or {}
    last = float(state.get("sent", 0.0))
    if last + SMS_RESEND_SECONDS > now:
        return SmsResult(sent=False, wait=int(last + SMS_RESEND_SECONDS - now) + 1)
    sends = [t for t in state.get("sends", []) if t > now - 3600]
    if len(sends) >= SMS_MAX_SENDS_PER_HOUR:
        return SmsResult(sent=False, wait=int(min(sends) + 3600 - now) + 1)
    code = f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"
    state = {
        "h": code_hash(user.pk, f"sms-{purpose}", code),
        "exp": now + SMS_VALID_SECONDS,
        "left": SMS_ATTEMPTS,
        "sent": now,
        "sends": [*sends, now],
    }
    cache.set(key, state, 3600)
    text = _("【连心桥】您的验证码是 %(code)s，%(minutes)d 分钟内有效。请勿告诉他人。") % {
        "code": code,
        "minutes": SMS_VALID_SECONDS // 60,
    }
    sms_sender().send(phone, text)
    return SmsResult(sent=True)


def sms_wait(*, user: User, purpose: str) -> int:
    """Seconds before another code may be sent (0: now)."""
    state: dict[str, Any] = cache.get(_sms_key(user.pk, purpose)) or {}
    return max(0, int(float(state.get("sent", 0.0)) + SMS_RESEND_SECONDS - time.time()) + 1)


class SmsCheck:
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"  # none sent, too old, already used, or out of attempts


def sms_check_code(*, user: User, code: str, purpose: str) -> str:
    """Checks ``code`` against the last one sent; a right code works once."""
    key = _sms_key(user.pk, purpose)
    state: dict[str, Any] = cache.get(key) or {}
    now = time.time()
    if not state.get("h") or now > float(state.get("exp", 0)) or int(state.get("left", 0)) <= 0:
        return SmsCheck.EXPIRED
    given = code_hash(user.pk, f"sms-{purpose}", normalise_digits(code))
    if hmac.compare_digest(given, state["h"]):
        state["h"] = ""  # one use only
        cache.set(key, state, 3600)
        return SmsCheck.OK
    state["left"] = int(state["left"]) - 1
    cache.set(key, state, 3600)
    return SmsCheck.WRONG if state["left"] > 0 else SmsCheck.EXPIRED


def valid_mobile(value: str) -> str | None:
    """A mainland mobile number in 11 digits, or None."""
    clean = normalise_digits(value)
    if clean.startswith("+86"):
        clean = clean[3:]
    elif clean.startswith("86") and len(clean) == 13:
        clean = clean[2:]
    if len(clean) == 11 and clean.isdigit() and clean[0] == "1" and clean[1] in "3456789":
        return clean
    return None


# --- Policy --------------------------------------------------------------------------------


def required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "MFA_REQUIRED_ROLES", ()) or ())


def is_required(user: User) -> bool:
    """Whether one of the account's active roles must use a second factor."""
    roles = required_roles()
    if not roles:
        return False
    return RoleAssignment.objects.filter(user=user, is_active=True, role__in=roles).exists()


def factor_of(user: User) -> SecondFactor | None:
    return SecondFactor.objects.filter(user=user).first()


def has_factor(user: User) -> bool:
    return SecondFactor.objects.filter(user=user).exists()


ENROLLED_KEY = "lianxin_mfa_enrolled"


def must_enrol(request: HttpRequest) -> bool:
    """True for a logged-in account whose role requires a second factor it has not set up.
    The answer "has one" is remembered in the session (a reset ends the sessions)."""
    if not required_roles() or request.session.get(ENROLLED_KEY):
        return False
    user: Any = request.user
    if not is_required(user):
        return False
    if has_factor(user):
        request.session[ENROLLED_KEY] = True
        return False
    return True


# --- The pending login ---------------------------------------------------------------------

PENDING_KEY = "lianxin_mfa_pending"
PENDING_SECONDS = 5 * 60
PENDING_ATTEMPTS = 5


def begin_pending(request: HttpRequest, user: User, *, next_url: str) -> None:
    """Right password, second factor still to come: the session is not logged in yet."""
    request.session[PENDING_KEY] = {
        "uid": user.pk,
        "at": time.time(),
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "next": next_url,
        "fails": 0,
    }


def pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    """The account waiting for its second factor, or None (none, expired, or gone)."""
    marker = request.session.get(PENDING_KEY)
    if not isinstance(marker, dict):
        return None
    if time.time() > float(marker.get("at", 0)) + PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=int(marker.get("uid") or 0), is_active=True).first()
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None
    return user, marker


def end_pending(request: HttpRequest) -> None:
    request.session.pop(PENDING_KEY, None)


def pending_failed(request: HttpRequest, marker: dict[str, Any]) -> bool:
    """Counts a wrong code; True when this pending login has had too many."""
    marker["fails"] = int(marker.get("fails", 0)) + 1
    if marker["fails"] >= PENDING_ATTEMPTS:
        end_pending(request)
        return True
    request.session[PENDING_KEY] = marker
    return False
