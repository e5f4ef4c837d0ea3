"""Every write of the closed loop (CASE-1..7): intake, and one service per action of the table.

Each action service validates its input, then calls ``workflow.apply`` with an effect that
changes the locked case; ``apply`` checks the row, the role and the reach, and writes the
event and the audit entry. Pages, the API, tasks and commands call these and nothing else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, in_reach
from lianxin.cases import figures, notify, workflow
from lianxin.cases.deadlines import start_deadline
from lianxin.cases.models import (
    Case,
    CaseAccess,
    CaseCitizen,
    CaseCounter,
    CaseEvent,
    CasePhoto,
    CaseUnit,
    Category,
    DeadlineRule,
    Procedure,
)
from lianxin.cases.photos import MAX_PHOTOS, clean_photo
from lianxin.cases.redaction import normalise, redact
from lianxin.cases.workflow import Action, Outcome, Transition, Who
from lianxin.common.errors import Conflict, DomainError, NotAllowed
from lianxin.directory.models import Body, Congress, HandlingUnit, Person, Station
from lianxin.regions.models import Region

S = Case.Status
TEXT_MAX = 2000
REASON_MAX = 500


# --- Secrets of the tracking link (CASE-1) ---------------------------------------------------


def _keyed(purpose: str, value: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256
    ).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def pin_hash(number: str, pin: str) -> str:
    return _keyed("case-pin", f"{number}:{pin}")


def _secrets_for(submission_key: str | None) -> tuple[str, str]:
    """A tracking token of 192 bits and a 6-digit PIN. With a form's one-time key they are
    derived from it (and the server's secret), so that a retried form gets the same answer."""
    if submission_key:
        seed = _keyed("case-token", submission_key)
        token = seed[:48]  # 192 bits of hex
        pin = f"{int(_keyed('case-pin-seed', submission_key)[:12], 16) % 1_000_000:06d}"
        return token, pin
    return secrets.token_hex(24), f"{secrets.randbelow(1_000_000):06d}"


def secrets_for(submission_key: str) -> tuple[str, str]:
    """The tracking token and PIN a form's one-time key stands for (CASE-1)."""
    return _secrets_for(submission_key)


def find_by_token(token: str) -> CaseCitizen | None:
    """The citizen (and case) a tracking link opens, or None."""
    if not token or len(token) > 128:
        return None
    return CaseCitizen.objects.select_related("case").filter(token_hash=token_hash(token)).first()


def _citizens_of_number(case: Case) -> list[CaseCitizen]:
    """The citizens who may hold ``case``'s number: its own, and — when it was merged (分类合并)
    — those it carried into the case it joined, who still read out their first number."""
    found = list(case.citizens.all())
    seen, current = {case.pk}, case
    while current.merged_into_id and current.merged_into_id not in seen and len(seen) < 10:
        seen.add(current.merged_into_id)
        current = Case.objects.get(pk=current.merged_into_id)
        found += list(current.citizens.filter(joined=CaseCitizen.Joined.MERGED))
    return found


def check_pin(case: Case, pin: str) -> CaseCitizen | None:
    """Staff verifying a caller by case number and PIN (CASE-1). A citizen whose case was
    merged into another still uses his own number and PIN; he is found on the case he joined."""
    wanted = pin_hash(case.number, normalise(pin).strip())
    for citizen in _citizens_of_number(case):
        if hmac.compare_digest(citizen.pin_hash, wanted):
            return citizen
    return None


def check_phone(case: Case, phone: str) -> CaseCitizen | None:
    """A caller verified by the case number and the mobile number he left (CASE-1)."""
    digits = "".join(ch for ch in normalise(phone or "") if ch.isdigit())
    if len(digits) != 11:
        return None
    for citizen in _citizens_of_number(case):
        if citizen.phone and hmac.compare_digest(citizen.phone.encode(), digits.encode()):
            return citizen
    return None


def verify_caller(number: str, secret: str) -> tuple[CaseCitizen, str] | None:
    """来电核验: the citizen behind case ``number`` whose PIN (6 digits) or left phone number
    (11 digits) is ``secret``, and which of the two matched ("pin" or "phone"); None for a
    wrong number or secret alike — the caller learns nothing of which part was wrong."""
    number, secret = normalise(number or "").strip(), normalise(secret or "").strip()
    case = Case.objects.filter(number=number).first() if number else None
    if case is None:
        return None
    if len(secret) == 6 and secret.isdigit():
        citizen = check_pin(case, secret)
        return (citizen, "pin") if citizen is not None else None
    citizen = check_phone(case, secret)
    return (citizen, "phone") if citizen is not None else None


# --- Intake (CASE-1) -------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipt:
    """What the citizen is told at once: the number to read out, the tracking link's token,
    the PIN; ``created`` is False when a retry of the same form found its case."""

    case: Case
    citizen: CaseCitizen
    token: str
    pin: str
    created: bool


def congress_for(region: Region) -> Congress | None:
    """The congress that receives a case raised in ``region``: the township's, else the
    nearest congress above."""
    ids = [int(p) for p in region.path.strip("/").split("/") if p]
    # The region comes along: the case number starts with its code (_next_number).
    found = {
        c.region_id: c for c in Congress.objects.filter(region_id__in=ids).select_related("region")
    }
    for region_id in reversed(ids):
        if region_id in found:
            return found[region_id]
    return None


# A case number's serial has at least this many digits (portal.intake writes the same format
# in SQL on PostgreSQL).
NUMBER_DIGITS = 5


def _next_number(congress: Congress, year: int) -> str:
    """The next number of the congress's year: one statement that creates or bumps the counter
    and holds its row lock until the filing commits, so numbers never repeat or skip (PostgreSQL
    and SQLite alike). One round trip where get_or_create, SELECT … FOR UPDATE and UPDATE took
    three (issue 7: every filing of a congress queues on this row)."""
    table = connection.ops.quote_name(CaseCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (congress_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608 - our table
            f"ON CONFLICT (congress_id, year) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [congress.pk, year],
        )
        last = cursor.fetchone()[0]
    return f"{congress.region.code}-{year}-{last:0{NUMBER_DIGITS}d}"


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写反映的问题。")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("内容不能超过%(n)s字。") % {"n": TEXT_MAX}})
    return text


def _clean_phone(phone: str) -> str:
    digits = "".join(ch for ch in normalise(phone or "") if ch.isdigit())
    if not phone:
        return ""
    if len(digits) != 11 or not digits.startswith("1") or digits[1] not in "3456789":
        raise ValidationError({"phone": _("请填写正确的11位手机号码。")})
    return digits


@dataclass
class Intake:
    """One opinion as received: where, from whom, about what."""

    channel: str
    region: Region
    category: Category
    text: str
    station: Station | None = None
    deputy: Person | None = None
    place: str = ""
    latitude: Any = None
    longitude: Any = None
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""
    anonymous: bool = False
    notify_by_sms: bool = False
    priority: str = Case.Priority.NORMAL
    received_at: dt.datetime | None = None
    submission_key: str | None = None
    photos: Sequence[Any] = ()  # uploaded files; cleaned before anything is written
    # The congress of ``region`` when the caller has just read it (the QR page's place):
    # spares a second read on the filing path (issue 7).
    congress: Congress | None = None


def file_case(*, intake: Intake, actor: Actor | None = None) -> Receipt:
    """Files a case (点单) and answers with its number, tracking token and PIN.

    A form's one-time key decides whether this is a retry: the same key files nothing new and
    gets the same answer, also when two copies arrive at once.
    """
    key = (intake.submission_key or "").strip()[:64] or None
    if key is not None:
        existing = _receipt_for_key(key)
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return _file_case(intake, key, actor)
    except IntegrityError:
        existing = _receipt_for_key(key) if key else None
        if existing is None:
            raise
        return existing


def file_acknowledged(*, intake: Intake, number: str) -> Receipt:
    """Files the case of an opinion acknowledged earlier (portal.intake, decision 0010) under
    the number the citizen was told; its token and PIN follow from its one-time key. The caller
    holds the transaction and the intake's row lock; a key already filed files nothing."""
    key = (intake.submission_key or "").strip()[:64] or None
    existing = _receipt_for_key(key) if key else None
    if existing is not None:
        return existing
    return _file_case(intake, key, None, number)


def _receipt_for_key(key: str) -> Receipt | None:
    citizen = CaseCitizen.objects.select_related("case").filter(submission_key=key).first()
    if citizen is None:
        return None
    token, pin = _secrets_for(key)
    return Receipt(case=citizen.case, citizen=citizen, token=token, pin=pin, created=False)


@dataclass(frozen=True)
class Checked:
    """An intake's fields as they will be written: validated, cleaned."""

    text: str
    phone: str
    name: str
    congress: Congress
    received_at: dt.datetime


def check_intake(intake: Intake, *, photos: bool = True, acknowledged: bool = False) -> Checked:
    """Validates an opinion as filing would (CASE-1): the same checks whether it is filed at
    once or acknowledged first and registered later (portal.intake, decision 0010). An opinion
    ``acknowledged`` already is registered even if its category was retired meanwhile: the
    citizen holds its number."""
    text = _clean_text(intake.text)
    if photos and len(intake.photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("最多上传%(n)s张照片。") % {"n": MAX_PHOTOS}})
    phone = _clean_phone(intake.phone)
    if intake.channel not in Case.Channel.values:
        raise ValidationError({"channel": _("来源渠道不正确。")})
    if intake.priority not in Case.Priority.values:
        raise ValidationError({"priority": _("紧急程度不正确。")})
    if not intake.category.is_active and not acknowledged:
        raise ValidationError({"category": _("请选择类别。")})
    if intake.notify_by_sms and not phone:
        raise ValidationError({"phone": _("选择短信告知进度时，请留下手机号码。")})
    congress = intake.congress or congress_for(intake.region)
    if congress is None:
        raise ValidationError({"region": _("该地区尚未开通，请联系当地人大。")})
    now = timezone.now()
    received_at = intake.received_at or now
    if received_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"received_at": _("受理时间不能晚于现在。")})
    name = "" if intake.anonymous else (intake.name or "").strip()[:50]
    return Checked(text=text, phone=phone, name=name, congress=congress, received_at=received_at)


def next_number(congress: Congress, when: dt.datetime) -> str:
    """The next case number of ``congress`` for the year of ``when`` (held until commit)."""
    return _next_number(congress, timezone.localtime(when).year)


def _file_case(
    intake: Intake, key: str | None, actor: Actor | None, number: str | None = None
) -> Receipt:
    """Writes the case. ``number`` is given when an acknowledged intake is registered: the
    number the citizen was told (decision 0010); else the congress's next one."""
    checked = check_intake(intake, acknowledged=number is not None)
    photos = [clean_photo(upload) for upload in intake.photos]
    text, phone, name = checked.text, checked.phone, checked.name
    congress, received_at = checked.congress, checked.received_at
    if number is None:
        number = next_number(congress, received_at)
    case = Case(
        number=number,
        congress=congress,
        region=intake.region,
        station=intake.station,
        deputy=intake.deputy,
        supervisor=intake.deputy,
        channel=intake.channel,
        category=intake.category,
        priority=intake.priority,
        text=text,
        public_text=redact(text, [name]),
        place=(intake.place or "").strip()[:200],
        latitude=intake.latitude,
        longitude=intake.longitude,
        received_at=received_at,
        received_by=actor.user if actor is not None and actor.is_authenticated else None,
        last_event_seq=1,
    )
    start_deadline(case, DeadlineRule.Step.REPORT, received_at)
    case.save()
    token, pin = _secrets_for(key)
    citizen = CaseCitizen.objects.create(
        case=case,
        joined=CaseCitizen.Joined.FILED,
        is_primary=True,
        name=name,
        phone="" if intake.anonymous and not intake.notify_by_sms else phone,
        id_number="" if intake.anonymous else (intake.id_number or "").strip()[:18],
        address="" if intake.anonymous else (intake.address or "").strip()[:200],
        anonymous=intake.anonymous,
        notify_by_sms=intake.notify_by_sms,
        token_hash=token_hash(token),
        pin_hash=pin_hash(number, pin),
        submission_key=key,
    )
    for photo in photos:
        CasePhoto.objects.create(case=case, image=photo, by_citizen=actor is None)
    event = CaseEvent.objects.create(
        case=case,
        seq=1,
        action="submit",
        from_status="",
        to_status=case.status,
        at=received_at,
        actor=case.received_by,
        actor_label=actor.label() if actor is not None else str(_("群众")),
        public_note=str(_("已收到您反映的问题。")),
        data={"public": True, "channel": intake.channel, "dims": figures.dims(case)},
    )
    figures.count_event(event)
    if citizen.notify_by_sms:  # the filer is the case's only citizen yet: nobody else to tell
        notify.queue(event)
    return Receipt(case=case, citizen=citizen, token=token, pin=pin, created=True)


def second(
    *,
    case: Case,
    name: str = "",
    phone: str = "",
    anonymous: bool = False,
    notify_by_sms: bool = False,
    submission_key: str | None = None,
) -> Receipt:
    """附议 (CASE-2): a citizen joins an open case instead of filing anew. He gets his own
    tracking link and PIN and is counted among the people behind the problem."""
    key = (submission_key or "").strip()[:64] or None
    if key is not None and (existing := _receipt_for_key(key)) is not None:
        return existing
    phone = _clean_phone(phone)
    if notify_by_sms and not phone:
        raise ValidationError({"phone": _("选择短信告知进度时，请留下手机号码。")})
    try:
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if not locked.is_open or locked.sensitive:
                raise Conflict(_("该问题已办结，不能再附议，请直接提交您的意见。"))
            token, pin = _secrets_for(key)
            citizen = CaseCitizen.objects.create(
                case=locked,
                joined=CaseCitizen.Joined.SECONDED,
                name="" if anonymous else name.strip()[:50],
                phone=phone,
                anonymous=anonymous,
                notify_by_sms=notify_by_sms,
                token_hash=token_hash(token),
                pin_hash=pin_hash(locked.number, pin),
                submission_key=key,
            )
            locked.last_event_seq += 1
            locked.save(update_fields=["last_event_seq", "updated_at"])
            event = CaseEvent.objects.create(
                case=locked,
                seq=locked.last_event_seq,
                action="second",
                from_status=locked.status,
                to_status=locked.status,
                at=timezone.now(),
                actor_label=str(_("群众")),
                public_note=str(_("又有一位群众附议。")),
                data={"public": True, "dims": figures.dims(locked)},
            )
            figures.count_event(event)
    except IntegrityError:
        existing = _receipt_for_key(key) if key else None
        if existing is None:
            raise
        return existing
    return Receipt(case=locked, citizen=citizen, token=token, pin=pin, created=True)


# --- The actions of the table ----------------------------------------------------------------


def _reason(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value[:REASON_MAX]


def confirm(*, who: Who, case: Case, note: str = "", on_spot: dict[str, str] | None = None) -> Case:
    """代表定单: the deputy confirms the case and takes it up; he becomes its supervisor.

    ``on_spot`` is a deputy's record that the problem was resolved on the spot by a station or
    unit he names ({"by": ..., "explanation": ...}): deputies do not settle cases themselves
    (代表法 §31, CASE-3), so the station confirms it with ``resolve_on_spot``."""

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        if who.actor is not None and who.actor.person_id and c.deputy_id is None:
            c.deputy_id = who.actor.person_id
        if c.supervisor_id is None:
            c.supervisor_id = c.deputy_id
        data = {"on_spot": dict(on_spot)} if on_spot else {}
        return Outcome(note=note.strip(), public_note=str(_("代表已受理您反映的问题。")), data=data)

    return workflow.apply(who, case.pk, Action.CONFIRM, effect)


def resolve_on_spot(*, who: Who, case: Case, explanation: str) -> Case:
    """当场解决: resolved at the station; still recorded, and the citizen still rates it."""
    text = _reason(explanation, "explanation", _("请说明当场解决的情况。"))

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        c.scope, c.explanation, c.solved = Case.Scope.ON_SPOT, text, True
        c.reply, c.replied_at = text, timezone.now()
        return Outcome(public_note=text)

    return workflow.apply(who, case.pk, Action.RESOLVE_ON_SPOT, effect)


def triage(*, who: Who, case: Case, scope: str, note: str = "") -> Case:
    """研处: within township powers (待派单) or county and above (上报县级) (CASE-2)."""
    if scope == Case.Scope.TOWNSHIP:
        action, public = Action.TRIAGE, _("您反映的问题由乡镇（街道）办理。")
    elif scope == Case.Scope.COUNTY:
        action, public = Action.REPORT, _("您反映的问题已上报县级人大交办。")
    else:
        raise ValidationError({"scope": _("请选择办理层级。")})

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        c.scope = scope
        return Outcome(note=note.strip(), public_note=str(public))

    return workflow.apply(who, case.pk, action, effect)


def decline(*, who: Who, case: Case, explanation: str) -> Case:
    """不属于人大职责: closed with an explanation the citizen reads (CASE-2)."""
    text = _reason(explanation, "explanation", _("请向群众说明不予受理的理由。"))

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        c.scope, c.explanation, c.closed_at = Case.Scope.NOT_CONGRESS, text, timezone.now()
        return Outcome(public_note=text)

    return workflow.apply(who, case.pk, Action.DECLINE, effect)


def merge(*, who: Who, case: Case, into: Case, note: str = "") -> Case:
    """分类合并: the case joins another open one; its citizens follow it there, each keeping
    his own tracking link (CASE-2)."""
    if into.pk == case.pk:
        raise ValidationError({"into": _("不能合并到自身。")})

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        target = Case.objects.select_for_update().get(pk=into.pk)
        if not target.is_open or target.status == S.MERGED:
            raise Conflict(_("目标意见已办结或已合并，不能再合并进去。"))
        if who.actor is None or not in_reach(who.actor, target):
            raise ValidationError({"into": _("只能合并到您管辖范围内的意见。")})
        c.merged_into = target
        c.citizens.update(case=target, is_primary=False, joined=CaseCitizen.Joined.MERGED)
        c.closed_at = timezone.now()
        _event(target, who, "merge_in", note=str(_("合并了意见 %(n)s") % {"n": c.number}),
               data={"from": c.number})  # fmt: skip
        return Outcome(
            note=note.strip(),
            public_note=str(_("与同类问题合并办理，编号 %(n)s。") % {"n": target.number}),
            data={"into": target.number},
        )

    return workflow.apply(who, case.pk, Action.MERGE, effect)


def _event(case: Case, who: Who, action: str, *, note: str = "", data: dict[str, Any]) -> None:
    """An event that changes no status (a merge arriving, a reminder): the case is locked."""
    case.last_event_seq += 1
    case.save(update_fields=["last_event_seq", "updated_at"])
    CaseEvent.objects.create(
        case=case,
        seq=case.last_event_seq,
        action=action,
        from_status=case.status,
        to_status=case.status,
        at=timezone.now(),
        actor=who.actor.user if who.actor is not None else None,
        actor_label=who.label,
        note=note,
        data={**data, "public": False},
    )


def claim(*, who: Who, case: Case, body: Body) -> Case:
    """委室认领 (郏县 提派办评): a committee of the standing committee claims the case."""

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        if body.congress.region.path and not c.region.path.startswith(body.congress.region.path):
            raise ValidationError({"body": _("只能由本级人大常委会的委室认领。")})
        c.claimed_by = body
        return Outcome(note=str(_("%(body)s认领") % {"body": body.name}), data={"body": body.pk})

    return workflow.apply(who, case.pk, Action.CLAIM, effect)


def dispatch(
    *,
    who: Who,
    case: Case,
    lead: HandlingUnit,
    co: Sequence[HandlingUnit] = (),
    note: str = "",
) -> Case:
    """人大派单 (交办): to a lead unit and co-handlers; the reply deadline starts (CASE-4/5)."""
    co = [u for u in co if u.pk != lead.pk]
    for unit in (lead, *co):
        if not unit.is_active:
            raise ValidationError({"lead": _("%(unit)s 已停用。") % {"unit": unit.name}})

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        now = timezone.now()
        c.units.filter(status=CaseUnit.Status.DISPATCHED).update(status=CaseUnit.Status.WITHDRAWN)
        c.dispatched_at, c.reply_due_at, c.extension_days = now, None, 0
        reply_due = workflow_count_reply(c, now)
        CaseUnit.objects.create(case=c, unit=lead, role=CaseUnit.Role.LEAD, dispatched_at=now,
                                due_at=reply_due, note=note.strip())  # fmt: skip
        for unit in co:
            CaseUnit.objects.create(case=c, unit=unit, role=CaseUnit.Role.CO, dispatched_at=now,
                                    due_at=reply_due, note=note.strip())  # fmt: skip
        names = "、".join([lead.name, *[u.name for u in co]])
        return Outcome(
            note=note.strip(),
            public_note=str(_("已交办 %(units)s 办理。") % {"units": names}),
            data={"lead": lead.pk, "co": [u.pk for u in co]},
        )

    return workflow.apply(who, case.pk, Action.DISPATCH, effect)


def workflow_count_reply(case: Case, start: dt.datetime) -> dt.datetime:
    from lianxin.cases.deadlines import count

    return count(case, "reply", start).ends_at


def return_case(*, who: Who, case: Case, reason: str) -> Case:
    """退单: the unit returns the case with its reason; it goes back to be dispatched again."""
    text = _reason(reason, "reason", _("请填写退回理由。"))

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        active = c.units.exclude(status__in=[CaseUnit.Status.RETURNED, CaseUnit.Status.WITHDRAWN])
        returned = list(active.values_list("unit_id", flat=True))
        active.update(status=CaseUnit.Status.RETURNED, return_reason=text)
        c.dispatched_at, c.reply_due_at = None, None
        back = S.REPORTED if c.scope == Case.Scope.COUNTY else S.TRIAGED
        return Outcome(
            target=back, note=text, deadline=DeadlineRule.Step.DISPATCH, data={"units": returned}
        )

    return workflow.apply(who, case.pk, Action.RETURN, effect)


def accept(*, who: Who, case: Case) -> Case:
    """签收: the lead unit accepts; its co-handlers' rows follow."""

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        c.units.filter(status=CaseUnit.Status.DISPATCHED).update(
            status=CaseUnit.Status.ACCEPTED, accepted_at=timezone.now()
        )
        return Outcome(public_note=str(_("承办单位已签收，正在办理。")))

    return workflow.apply(who, case.pk, Action.ACCEPT, effect)


def request_extension(*, who: Who, case: Case, days: int, reason: str) -> Case:
    """申请延期: the unit asks for more days, with its reason; the office decides."""
    text = _reason(reason, "reason", _("请填写延期理由。"))
    if not isinstance(days, int) or not 1 <= days <= 90:
        raise ValidationError({"days": _("延期天数应在1到90天之间。")})

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        if c.extension_requested:
            raise Conflict(_("已有延期申请待审批。"))
        c.extension_requested = True
        return Outcome(note=text, data={"days": days})

    return workflow.apply(who, case.pk, Action.REQUEST_EXTENSION, effect)


def decide_extension(*, who: Who, case: Case, approve: bool, note: str = "") -> Case:
    """审批延期: approved, the reply deadline moves by the days asked."""
    from lianxin.holidays.deadlines import add_days

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        if not c.extension_requested:
            raise Conflict(_("没有待审批的延期申请。"))
        asked = (
            CaseEvent.objects.filter(case=c, action=Action.REQUEST_EXTENSION)
            .order_by("-seq")
            .values_list("data", flat=True)
            .first()
        ) or {}
        days = int(asked.get("days", 0))
        c.extension_requested = False
        if approve and days:
            c.extension_days += days
            assert c.reply_due_at is not None
            c.reply_due_at = add_days(c.reply_due_at, days).ends_at
            c.due_at = c.reply_due_at
            c.units.exclude(
                status__in=[CaseUnit.Status.RETURNED, CaseUnit.Status.WITHDRAWN]
            ).update(due_at=c.reply_due_at)
            public = _("办理期限延长%(d)s天。") % {"d": days}
        else:
            public = ""
        return Outcome(
            note=note.strip(), public_note=str(public), data={"approved": approve, "days": days}
        )

    return workflow.apply(who, case.pk, Action.DECIDE_EXTENSION, effect)


@dataclass(frozen=True)
class InPerson:
    """局长进站 / 站点问政 (CASE-5): the answer was given in person at a station — how, when,
    where and by whom (an official's title; only how, when and where are shown publicly)."""

    kind: str
    on: dt.date
    station: Station
    by: str


def _check_in_person(case: Case, in_person: InPerson) -> InPerson:
    errors: dict[str, str] = {}
    if in_person.kind not in Case.InPerson.values:
        errors["in_person"] = _("请选择当面答复的方式。")
    today = timezone.localdate()
    if in_person.on > today:
        errors["in_person_on"] = _("当面答复日期不能晚于今天。")
    elif in_person.on < timezone.localtime(case.received_at).date():
        errors["in_person_on"] = _("当面答复日期不能早于意见受理日期。")
    if not in_person.station.is_active:
        errors["in_person_station"] = _("该站点已停用。")
    by = (in_person.by or "").strip()
    if not by:
        errors["in_person_by"] = _("请填写当面答复人的单位和职务。")
    if errors:
        raise ValidationError(errors)
    return InPerson(in_person.kind, in_person.on, in_person.station, by[:100])


def reply(
    *, who: Who, case: Case, text: str, solved: bool, in_person: InPerson | None = None
) -> Case:
    """答复: the lead unit states result and measures and whether the problem is solved; and,
    when the answer was given in person at a station (局长进站), how, when and where."""
    body = (text or "").strip()
    if not body:
        raise ValidationError({"text": _("请填写办理情况。")})
    if len(body) > TEXT_MAX:
        raise ValidationError({"text": _("内容不能超过%(n)s字。") % {"n": TEXT_MAX}})
    if not isinstance(solved, bool):
        raise ValidationError({"solved": _("请说明问题是否已解决。")})
    met = _check_in_person(case, in_person) if in_person is not None else None

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        now = timezone.now()
        c.reply, c.solved, c.replied_at = body, solved, now
        lead = c.units.filter(status=CaseUnit.Status.ACCEPTED, role=CaseUnit.Role.LEAD)
        lead_row = lead.select_related("unit").first()
        lead_id = lead_row.unit_id if lead_row is not None else None
        lead.update(status=CaseUnit.Status.REPLIED, reply=body, replied_at=now)
        data: dict[str, Any] = {"solved": solved, "lead": lead_id}
        public = ""
        if met is not None:
            c.in_person, c.in_person_on = met.kind, met.on
            c.in_person_station, c.in_person_by = met.station, met.by
            data["in_person"] = {"kind": met.kind, "on": met.on.isoformat(),
                                 "station": met.station.pk}  # fmt: skip
            public = _in_person_note(met, lead_row.unit.name if lead_row is not None else "")
        else:
            c.in_person, c.in_person_on, c.in_person_station, c.in_person_by = "", None, None, ""
        return Outcome(note=body, public_note=public, data=data)

    return workflow.apply(who, case.pk, Action.REPLY, effect)


def _in_person_note(met: InPerson, unit: str) -> str:
    """The public step of an in-person answer: how, when, where — never who (CASE-9)."""
    return str(
        _("%(unit)s负责人于%(day)s到%(station)s当面答复（%(kind)s）。")
        % {
            "unit": unit or _("承办单位"),
            "day": f"{met.on.year}年{met.on.month}月{met.on.day}日",
            "station": met.station.name,
            "kind": Case.InPerson(met.kind).label,
        }
    )


def contribute(*, who: Who, case: Case, text: str) -> Case:
    """协办意见 (CASE-5): a co-handling unit gives its part to the lead unit. The case stays in
    handling; the contribution shows to the lead unit and the office, and on the 办理情况反馈单.
    Given again in the same round, the newer text replaces the older (both stay as events)."""
    from lianxin.cases.reach import contributing_unit

    body = (text or "").strip()
    if not body:
        raise ValidationError({"text": _("请填写本单位的协办意见。")})
    if len(body) > TEXT_MAX:
        raise ValidationError({"text": _("内容不能超过%(n)s字。") % {"n": TEXT_MAX}})

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        assert who.actor is not None  # the party check lets only a co-handler's staff here
        mine = contributing_unit(who.actor, c)
        if mine is None:
            raise NotAllowed
        CaseUnit.objects.filter(pk=mine.pk).update(
            status=CaseUnit.Status.REPLIED, reply=body, replied_at=timezone.now()
        )
        _tell_lead_of_contribution(c, mine)
        # The text stays in the event's data (its history) but not in its note: the timeline
        # shows notes to everyone on the case, the contribution is for the lead and the office.
        return Outcome(
            note=str(_("%(unit)s向主办单位提交了协办意见。") % {"unit": mine.unit.name}),
            data={"unit": mine.unit_id, "text": body},
        )

    return workflow.apply(who, case.pk, Action.CONTRIBUTE, effect)


def _tell_lead_of_contribution(case: Case, co: CaseUnit) -> None:
    """The lead unit's staff find the contribution in their inbox (after the commit)."""
    from django.urls import reverse

    from lianxin.accounts.models import Role, RoleAssignment
    from lianxin.notifications.services import notify

    lead = case.units.filter(role=CaseUnit.Role.LEAD, status=CaseUnit.Status.ACCEPTED).first()
    if lead is None:
        return
    ancestors = [int(p) for p in lead.unit.path.strip("/").split("/") if p]
    users = list(
        RoleAssignment.objects.filter(role=Role.UNIT, unit_id__in=ancestors, is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    title = _("%(unit)s提交了协办意见（%(n)s）") % {"unit": co.unit.name, "n": case.number}
    url = reverse("cases:case_detail", args=[case.pk])
    stamp = f"case:{case.pk}:contribute:{co.pk}:{case.last_event_seq + 1}"

    def send() -> None:
        from lianxin.accounts.models import User

        for user in User.objects.filter(pk__in=users, is_active=True):
            notify(recipient=user, kind="cases.contribution", title=title, url=url,
                   body=case.public_text[:200], dedupe_key=f"{stamp}:{user.pk}"[:200])  # fmt: skip

    transaction.on_commit(send)


def send_back(*, who: Who, case: Case, reason: str) -> Case:
    """督单 — insufficient: the reply goes back to the unit with the reason (CASE-5)."""
    text = _reason(reason, "reason", _("请说明答复不充分的理由。"))

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        c.units.filter(status=CaseUnit.Status.REPLIED).update(status=CaseUnit.Status.ACCEPTED)
        return Outcome(note=text)

    return workflow.apply(who, case.pk, Action.SEND_BACK, effect)


def approve_reply(*, who: Who, case: Case, note: str = "") -> Case:
    """督单 — the reply reaches the citizen, and the rating window opens (CASE-5, CASE-7)."""

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        return Outcome(note=note.strip(), public_note=c.reply)

    return workflow.apply(who, case.pk, Action.APPROVE_REPLY, effect)


def _lead_unit_id(case: Case) -> int | None:
    return (
        case.units.filter(role=CaseUnit.Role.LEAD)
        .exclude(status__in=[CaseUnit.Status.RETURNED, CaseUnit.Status.WITHDRAWN])
        .values_list("unit_id", flat=True)
        .first()
    )


def rate(
    *,
    who: Who,
    case: Case,
    rating: str,
    reason: str = "",
    citizen: CaseCitizen | None = None,
    verified_by: str = "",
) -> Case:
    """群众评单 (CASE-7): 满意/基本满意 close the case; 不满意 reopens it for re-handling while
    the congress allows reopenings, with the reason logged; else it closes as 不满意.

    Staff recording a caller's rating say how they verified him (``verified_by``: "pin" or
    "phone", 来电核验); the event says so."""
    if rating not in (Case.Rating.SATISFIED, Case.Rating.BASICALLY, Case.Rating.DISSATISFIED):
        raise ValidationError({"rating": _("请选择满意、基本满意或不满意。")})
    text = (reason or "").strip()[:REASON_MAX]
    if rating == Case.Rating.DISSATISFIED and not text:
        raise ValidationError({"reason": _("请说明不满意的原因，以便重新办理。")})
    if who.kind == workflow.CITIZEN and who.citizen_id is not None:
        citizen = CaseCitizen.objects.filter(pk=who.citizen_id).first()
    if verified_by not in ("", "pin", "phone"):
        raise ValidationError({"rating": _("核验方式不正确。")})
    by_phone: dict[str, Any] = {"by_phone": verified_by} if verified_by else {}
    if by_phone:
        label = (
            _("电话评价（已凭查询密码核验）")
            if verified_by == "pin"
            else _("电话评价（已凭预留手机号码核验）")
        )
        text_note = f"{label}：{text}" if text else str(label)
    else:
        text_note = text

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        now = timezone.now()
        if citizen is not None:
            if citizen.case_id != c.pk:
                raise NotAllowed
            CaseCitizen.objects.filter(pk=citizen.pk).update(
                rating=rating, rating_reason=text, rated_at=now
            )
        lead = _lead_unit_id(c)
        if rating == Case.Rating.DISSATISFIED and c.reopen_count < p.max_reopenings:
            c.reopen_count += 1
            c.reply_due_at, c.extension_days = None, 0
            c.dispatched_at = now  # the reply period of the re-handling runs from now
            c.units.filter(status=CaseUnit.Status.REPLIED).update(status=CaseUnit.Status.ACCEPTED)
            return Outcome(
                target=S.HANDLING,
                deadline=DeadlineRule.Step.REPLY,
                note=text_note,
                public_note=str(_("您的评价为不满意，已重新交办办理。")),
                data={"rating": rating, "reopened": True, "solved": c.solved, "lead": lead,
                      **by_phone},
            )  # fmt: skip
        c.rating, c.rated_at, c.closed_at = rating, now, now
        return Outcome(target=S.CLOSED, note=text_note, public_note=str(_("感谢您的评价。")),
                       data={"rating": rating, "solved": c.solved, "lead": lead,
                             **by_phone})  # fmt: skip

    return workflow.apply(who, case.pk, Action.RATE, effect)


def expire_rating(*, case: Case) -> Case:
    """No rating within the window: counted as 未评价, never as satisfied (CASE-7)."""

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        now = timezone.now()
        c.rating, c.closed_at = Case.Rating.UNRATED, now
        return Outcome(data={"rating": Case.Rating.UNRATED, "lead": _lead_unit_id(c)})

    return workflow.apply(Who.system(), case.pk, Action.EXPIRE_RATING, effect)


def return_visit(*, who: Who, case: Case, note: str) -> Case:
    """回访: the visit to the citizen after the case closed, recorded."""
    text = _reason(note, "note", _("请填写回访情况。"))

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        if c.visited_at is not None:
            raise Conflict(_("该意见已经回访。"))
        c.visited_at = timezone.now()
        return Outcome(note=text)

    return workflow.apply(who, case.pk, Action.RETURN_VISIT, effect)


def archive(*, who: Who, case: Case) -> Case:
    """归档: the case and its whole history become immutable."""

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        if p.return_visit and c.status == S.CLOSED and c.visited_at is None:
            raise DomainError(_("请先完成回访再归档。"))
        c.archived_at = timezone.now()
        return Outcome()

    return workflow.apply(who, case.pk, Action.ARCHIVE, effect)


def reassign(
    *,
    who: Who,
    case: Case,
    deputy: Person | None = None,
    station: Station | None = None,
    note: str = "",
) -> Case:
    """移交 (CASE-12): a leaver's open case gets a new receiving deputy or station."""
    if deputy is None and station is None:
        raise ValidationError({"deputy": _("请选择接手的代表或联络站。")})

    def effect(c: Case, row: Transition, p: Procedure) -> Outcome:
        data: dict[str, Any] = {}
        if deputy is not None:
            data["deputy"] = [c.deputy_id, deputy.pk]
            if c.supervisor_id == c.deputy_id:
                c.supervisor = deputy
            c.deputy = deputy
        if station is not None:
            data["station"] = [c.station_id, station.pk]
            c.station = station
        return Outcome(note=note.strip(), data=data)

    return workflow.apply(who, case.pk, Action.REASSIGN, effect)


# --- Sensitive cases and recusal (CASE-11) ------------------------------------------------------


@transaction.atomic
def restrict(*, actor: Actor, case: Case, users: Sequence[Any], reason: str) -> Case:
    """Marks the case sensitive: from now on only the named staff (and the office member who
    restricts it) see it. Audited."""
    from lianxin.accounts.models import Role
    from lianxin.audit.models import AuditEntry
    from lianxin.audit.services import record

    text = _reason(reason, "reason", _("请说明列为敏感件的理由。"))
    if actor.role != Role.OFFICE or not in_reach(actor, case):
        raise NotAllowed
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.status == S.ARCHIVED:
        raise Conflict(_("该意见已归档，不能再更改。"))
    locked.sensitive = True
    locked.save(update_fields=["sensitive", "updated_at"])
    for user in {actor.user, *users}:
        CaseAccess.objects.get_or_create(case=locked, user=user, kind=CaseAccess.Kind.GRANT,
                                         defaults={"reason": text, "created_by": actor.user})  # fmt: skip
    record(actor=actor, action=AuditEntry.Action.ACTION, obj=locked, note=str(_("列为敏感件")),
           changes={"sensitive": True, "users": sorted(u.pk for u in users)})  # fmt: skip
    return locked


@transaction.atomic
def recuse(*, actor: Actor, case: Case, user: Any, reason: str) -> CaseAccess:
    """Records that ``user`` stands aside from the case for a conflict of interest: he no longer
    sees or acts on it. The office records it; anybody may record his own. Audited."""
    from lianxin.accounts.models import Role
    from lianxin.audit.models import AuditEntry
    from lianxin.audit.services import record

    text = _reason(reason, "reason", _("请说明回避的理由。"))
    if not in_reach(actor, case) or (actor.role != Role.OFFICE and user != actor.user):
        raise NotAllowed
    access, _created = CaseAccess.objects.get_or_create(
        case=case, user=user, kind=CaseAccess.Kind.RECUSAL,
        defaults={"reason": text, "created_by": actor.user},
    )  # fmt: skip
    record(actor=actor, action=AuditEntry.Action.ACTION, obj=case, note=str(_("回避")),
           changes={"user": user.pk, "reason": text})  # fmt: skip
    return access
