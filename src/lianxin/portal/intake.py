"""Acknowledge an opinion with one INSERT, register its case afterwards (CASE-1, SEC-5,
issue 7; decision 0010).

``receive`` validates, takes the congress's next number and writes one ``Intake`` row in one
transaction; the citizen's receipt (number, tracking link, PIN) comes from it at once.
``register`` turns an intake into the case with the same number, token and PIN. With a broker,
an acknowledged intake asks for a *drain* (``register_pending``: every intake not tried yet, in
the order received) — at most one queued every few seconds, so a burst of filings costs one
cache write each instead of one task each; with Celery eager (tests, the embedded default) it
is registered at once after the commit. Any intake a lost task left behind, or whose
registration failed, is registered by the sweep ``portal.register_intakes``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import json
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from lianxin.cases import services
from lianxin.cases.models import Case, CaseCounter, Category
from lianxin.common.fields import decrypt, encrypt
from lianxin.common.sweeps import sweep
from lianxin.directory.models import Congress, Person, Station
from lianxin.portal.models import Intake
from lianxin.regions.models import Region

log = logging.getLogger(__name__)

# An intake still without its case this long after it was received is registered by the sweep.
STALE_AFTER = dt.timedelta(seconds=30)
SWEEP_BATCH = 500
# While this cache key lives a drain is queued or running: the intakes acknowledged meanwhile
# are its to register. It expires by itself, so a lost task delays the next drain by this long.
DRAIN_FLAG = "lianxin:portal:intake-drain"
DRAIN_FLAG_SECONDS = 5
PERSONAL = ("name", "phone", "id_number", "address")


@dataclass(frozen=True)
class Acknowledged:
    """What the receipt shows: the number, the tracking token, the PIN; ``created`` is False
    when the same one-time key was acknowledged before."""

    number: str
    token: str
    pin: str
    created: bool


def _payload(intake: services.Intake) -> dict[str, Any]:
    personal = {name: getattr(intake, name) or "" for name in PERSONAL}

    def decimal(value: Any) -> str | None:
        return None if value is None else str(value)

    return {
        "channel": intake.channel,
        "region": intake.region.pk,
        "category": intake.category.pk,
        "text": intake.text,
        "station": intake.station.pk if intake.station is not None else None,
        "deputy": intake.deputy.pk if intake.deputy is not None else None,
        "place": intake.place,
        "latitude": decimal(intake.latitude),
        "longitude": decimal(intake.longitude),
        "anonymous": intake.anonymous,
        "notify_by_sms": intake.notify_by_sms,
        "priority": intake.priority,
        # SEC-2: the citizen's name and contact details never lie in the table in clear.
        "personal": encrypt(json.dumps(personal, ensure_ascii=False)),
    }


def _intake_of(row: Intake) -> services.Intake:
    data = row.payload
    personal = json.loads(decrypt(data.get("personal") or "")) if data.get("personal") else {}

    def decimal(value: Any) -> Decimal | None:
        return None if value in (None, "") else Decimal(value)

    return services.Intake(
        channel=data["channel"],
        region=Region.objects.get(pk=data["region"]),
        category=Category.objects.get(pk=data["category"]),
        text=data["text"],
        station=Station.objects.filter(pk=data.get("station") or 0).first(),
        deputy=Person.objects.filter(pk=data.get("deputy") or 0).first(),
        place=data.get("place") or "",
        latitude=decimal(data.get("latitude")),
        longitude=decimal(data.get("longitude")),
        anonymous=bool(data.get("anonymous")),
        notify_by_sms=bool(data.get("notify_by_sms")),
        priority=data.get("priority") or Case.Priority.NORMAL,
        received_at=row.received_at,
        submission_key=row.submission_key,
        **{name: personal.get(name, "") for name in PERSONAL},
    )


def _acknowledged(key: str, number: str, *, created: bool) -> Acknowledged:
    token, pin = services.secrets_for(key)
    return Acknowledged(number=number, token=token, pin=pin, created=created)


def receive(intake: services.Intake) -> Acknowledged:
    """Acknowledges an opinion without photos: validated as filing would, then the number
    counter and ONE insert (one statement on PostgreSQL). The same one-time key acknowledges
    once."""
    key = (intake.submission_key or "").strip()[:64]
    if not key:
        raise ValueError("an intake needs the form's one-time key")
    if intake.photos:
        raise ValueError("an intake with photos is filed at once (services.file_case)")
    checked = services.check_intake(intake, photos=False)
    token, pin = services.secrets_for(key)
    fields = {
        "congress_id": checked.congress.pk,
        "token_hash": services.token_hash(token),
        "submission_key": key,
        "payload": _payload(intake),
        "received_at": checked.received_at,
    }
    try:
        pk, number = _write(checked.congress, checked.received_at, fields)
    except IntegrityError:  # the same key again (a retry, a double click): its first answer
        before = already(key)
        if before is None:
            raise
        return before
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # No broker (tests, the embedded default): the case is filed right after the commit,
        # as on_commit would, also when an outer transaction is open (a test's).
        _queue(pk)
    else:
        transaction.on_commit(lambda: _queue(pk))  # at once outside a transaction
    return Acknowledged(number=number, token=token, pin=pin, created=True)


def _write(congress: Congress, received_at: dt.datetime, fields: dict[str, Any]) -> tuple[int, str]:
    """Takes the congress's next number and inserts the intake: the primary key and number.

    On PostgreSQL one statement in autocommit (issue 7: one round trip where BEGIN, the
    counter, the insert and COMMIT took four; the counter's row lock is held for that
    statement only), the number formatted as ``services._next_number`` formats it. A
    duplicate key fails the whole statement, counter included: no number is skipped. Inside
    an open transaction (a test's) it runs in a savepoint so that a duplicate leaves the
    transaction usable. Elsewhere (SQLite) the counter and the insert in one transaction."""
    year = timezone.localtime(received_at).year
    if connection.vendor != "postgresql":
        with transaction.atomic():
            number = services.next_number(congress, received_at)
            row = Intake.objects.create(number=number, **fields)
        return row.pk, number
    counter, table = CaseCounter._meta.db_table, Intake._meta.db_table
    digits = services.NUMBER_DIGITS
    sql = (
        f'WITH n AS (INSERT INTO "{counter}" (congress_id, year, last) VALUES (%s, %s, 1) '  # noqa: S608 - our tables
        f'ON CONFLICT (congress_id, year) DO UPDATE SET last = "{counter}".last + 1 '
        "RETURNING last) "
        f'INSERT INTO "{table}" (congress_id, number, token_hash, submission_key, payload, '
        "received_at, attempts, last_error) "
        f"SELECT %s, %s || '-' || %s || '-' || CASE WHEN n.last < {10**digits} "
        f"THEN lpad(n.last::text, {digits}, '0') ELSE n.last::text END, %s, %s, %s::jsonb, "
        "%s, 0, '' FROM n RETURNING id, number"
    )
    params = [
        congress.pk, year, fields["congress_id"], congress.region.code, year,
        fields["token_hash"], fields["submission_key"], json.dumps(fields["payload"]),
        fields["received_at"],
    ]  # fmt: skip
    savepoint = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    with savepoint, connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk, number = cursor.fetchone()
    return int(pk), str(number)


def already(key: str) -> Acknowledged | None:
    """The answer given to a one-time key acknowledged before, or None."""
    number = Intake.objects.filter(submission_key=key).values_list("number", flat=True).first()
    return _acknowledged(key, number, created=False) if number is not None else None


def _queue(intake_id: int) -> None:
    from lianxin.portal.tasks import register_intake_task, register_pending_task

    if settings.CELERY_TASK_ALWAYS_EAGER:
        register_intake_task.delay(intake_id)
        return
    try:
        if cache.add(DRAIN_FLAG, 1, DRAIN_FLAG_SECONDS):  # no drain queued: queue one
            register_pending_task.delay()
    except Exception:  # a broker or cache away: the sweep registers it (the intake is safe)
        log.exception("could not queue the registration of intake %s", intake_id)


def register(intake_id: int) -> Case | None:
    """Files the case of an intake with its number, token and PIN. Idempotent: the intake's
    row is locked and one already registered is left as it is. Returns the case, or None when
    filing failed (the error is kept on the intake and the sweep tries again)."""
    try:
        with transaction.atomic():
            row = Intake.objects.select_for_update().filter(pk=intake_id).first()
            if row is None:
                return None
            if row.case_id is not None:
                return row.case
            receipt = services.file_acknowledged(intake=_intake_of(row), number=row.number)
            row.case = receipt.case
            row.registered_at = timezone.now()
            row.attempts += 1
            row.last_error = ""
            row.save(update_fields=["case", "registered_at", "attempts", "last_error"])
            return receipt.case
    except Exception as error:
        if settings.CELERY_TASK_ALWAYS_EAGER and settings.DEBUG:
            raise
        log.exception("registering intake %s failed", intake_id)
        Intake.objects.filter(pk=intake_id, case__isnull=True).update(
            attempts=F("attempts") + 1, last_error=repr(error)[:1000]
        )
        return None


def register_pending() -> int:
    """Registers every intake not tried yet, oldest first, until none is left (the drain a
    filing asks for). Intakes whose registration failed are left to the sweep."""
    cache.delete(DRAIN_FLAG)  # an intake acknowledged from now on asks for another drain
    registered = 0
    for _batch in range(1000):  # a bound, far above any burst
        ids = list(
            Intake.objects.filter(case__isnull=True, attempts=0)
            .order_by("received_at", "pk")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        if not ids:
            break
        registered += sum(1 for pk in ids if register(pk) is not None)
    return registered


@sweep("portal.register_intakes")
def register_stale_intakes() -> int:
    """Registers every intake left without its case for more than 30 s (a lost task, a
    worker down): no acknowledged opinion is lost. Idempotent (``register`` locks and skips)."""
    before = timezone.now() - STALE_AFTER
    ids = list(
        Intake.objects.filter(case__isnull=True, received_at__lt=before)
        .order_by("received_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    return sum(1 for pk in ids if register(pk) is not None)


def register_number(number: str) -> Case | None:
    """Registers at once the intake of ``number`` still waiting for its case, if any: staff
    verifying a caller (来电核验) find the case right after the citizen filed it."""
    pk = Intake.objects.filter(number=number, case__isnull=True).values_list("pk", flat=True)
    found = pk.first()
    return register(found) if found is not None else None


# --- Finding an intake not registered yet (CASE-1, CASE-9) -----------------------------------


def pending_by_token(token: str) -> Intake | None:
    """An acknowledged intake whose case is not filed yet, by its tracking token."""
    if not token or len(token) > 128:
        return None
    return Intake.objects.filter(token_hash=services.token_hash(token), case__isnull=True).first()


def pending_by_pin(number: str, pin: str) -> Intake | None:
    """An intake not registered yet, by its number and PIN (the 查询 lookup): the PIN is the
    one its one-time key stands for (``services.secrets_for``)."""
    row = Intake.objects.filter(number=number, case__isnull=True).first()
    if row is None:
        return None
    _token, wanted = services.secrets_for(row.submission_key)
    return row if hmac.compare_digest(wanted.encode(), pin.strip().encode()) else None


def pending_by_phone(number: str, phone: str) -> Intake | None:
    """An intake not registered yet, by its number and the mobile number left (来电核验)."""
    row = Intake.objects.filter(number=number, case__isnull=True).first()
    if row is None:
        return None
    digits = "".join(ch for ch in phone if ch.isdigit())
    left = "".join(ch for ch in _intake_of_personal(row).get("phone", "") if ch.isdigit())
    if len(digits) != 11 or not hmac.compare_digest(left.encode(), digits.encode()):
        return None
    return row


def _intake_of_personal(row: Intake) -> dict[str, str]:
    data = row.payload.get("personal") or ""
    return json.loads(decrypt(data)) if data else {}
