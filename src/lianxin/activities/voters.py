"""Contact with voters (VOT-1, VOT-4): the deputy's fixed voters, his contacts with them (an
opinion may become a case, CASE-1), the office's monthly callback sample and good deeds.

Every write takes an ``Actor``: RECORD_OWN_WORK for the deputy's own records, CALL_VOTERS for
the office's callbacks, MANAGE_ACTIVITIES for staff confirming good deeds. Reach is
``activities/reach.py``. Each write is audited (SEC-4); personal values never are (SEC-2).

Decisions:
- more fixed voters than the yearly quota (``standards.quota(congress, "fixed_voters")``) are
  allowed: the deputy is warned, nothing is refused — more contact is never wrong (VOT-1);
- the callback pool of a region and month is the active fixed voters of that year living in
  the region who had at least one contact recorded that month; when none had, it is all the
  active fixed voters of that year in the region. The sample size defaults to 10 % of the pool,
  at least 1. The seed comes from ``secrets.SystemRandom`` and is stored: the same seed over the
  same pool draws the same voters.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, Perm, in_reach, region_path
from lianxin.activities import standards
from lianxin.activities.models.voters import (
    CallbackCall,
    CallbackSample,
    ContactMethod,
    FixedVoter,
    GoodDeed,
    VoterContact,
)
from lianxin.audit.models import AuditEntry
from lianxin.audit.services import record
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.directory.models import Person
from lianxin.regions.models import Region

MOBILE_RE = re.compile(r"1[3-9]\d{9}")

# The case channel a contact's opinions are filed through (CASE-1).
CASE_CHANNEL = {
    ContactMethod.PHONE: "phone",
    ContactMethod.MESSAGE: "phone",
    ContactMethod.RECEPTION: "reception",
    ContactMethod.MEETING: "forum",
}


def today() -> dt.date:
    """Beijing's date (TIME_ZONE is Asia/Shanghai)."""
    return timezone.localdate()


def _audit(actor: Actor, action: str, obj: Any, note: str = "") -> None:
    record(actor=actor, action=action, obj=obj, note=note)


def own_person(actor: Actor) -> Person:
    """The deputy recording his own work; anybody else is refused."""
    if not actor.has(Perm.RECORD_OWN_WORK) or actor.role != Role.DEPUTY or not actor.person_id:
        raise NotAllowed
    return Person.objects.select_related("region").get(pk=actor.person_id)


def congress_id_of(person: Person) -> int | None:
    """The congress of the deputy's current (latest) mandate, for the quotas."""
    return (
        person.mandates.order_by("-term__starts_on", "-pk")  # type: ignore[attr-defined]
        .values_list("term__congress_id", flat=True)
        .first()
    )


def area_regions(person: Person) -> QuerySet[Region]:
    """Villages and communities within the deputy's area (his region and below)."""
    home = person.region
    if home is None:
        return Region.objects.none()
    return Region.objects.filter(path__startswith=home.path, level=Region.Level.VILLAGE).order_by(
        "path"
    )


def clean_phone(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if not MOBILE_RE.fullmatch(digits):
        raise ValidationError({"phone": _("请输入11位手机号码，如 13812345678。")})
    return digits


# --- Fixed voters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    year: int
    count: int
    quota: int

    @property
    def over(self) -> bool:
        return self.count > self.quota


def progress(person: Person, year: int) -> Progress:
    count = FixedVoter.objects.filter(deputy=person, year=year, is_active=True).count()
    return Progress(year, count, standards.quota(congress_id_of(person), "fixed_voters"))


def _check_voter_fields(person: Person, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = _("请填写选民姓名。")
    region = data.get("region")
    if region is None or not area_regions(person).filter(pk=region.pk).exists():
        errors["region"] = _("请选择您所在区域内的村（社区）。")
    try:
        phone = clean_phone(data.get("phone", ""))
    except ValidationError as exc:
        errors["phone"] = exc.message_dict["phone"][0]
        phone = ""
    if errors:
        raise ValidationError(errors)
    return {
        "name": name[:50],
        "phone": phone,
        "region": region,
        "address": (data.get("address") or "").strip()[:200],
        "occupation": (data.get("occupation") or "").strip()[:60],
        "note": (data.get("note") or "").strip()[:200],
    }


@transaction.atomic
def add_voter(*, actor: Actor, year: int | None = None, **data: Any) -> FixedVoter:
    """Puts a voter on the deputy's list (VOT-1). Beyond the quota is allowed (see above)."""
    person = own_person(actor)
    fields = _check_voter_fields(person, data)
    voter = FixedVoter.objects.create(deputy=person, year=year or today().year, **fields)
    _audit(actor, AuditEntry.Action.CREATE, voter)
    return voter


def _own_voter(actor: Actor, voter: FixedVoter) -> Person:
    person = own_person(actor)
    if voter.deputy_id != person.pk:
        raise NotAllowed
    return person


@transaction.atomic
def update_voter(*, actor: Actor, voter: FixedVoter, **data: Any) -> FixedVoter:
    person = _own_voter(actor, voter)
    for key, value in _check_voter_fields(person, data).items():
        setattr(voter, key, value)
    voter.save()
    _audit(actor, AuditEntry.Action.UPDATE, voter)
    return voter


@transaction.atomic
def set_voter_active(*, actor: Actor, voter: FixedVoter, active: bool) -> FixedVoter:
    """Takes a voter off the list (or back on); his contacts stay."""
    _own_voter(actor, voter)
    voter.is_active = active
    voter.save(update_fields=["is_active", "updated_at"])
    _audit(actor, AuditEntry.Action.UPDATE, voter, note="active" if active else "inactive")
    return voter


# --- Contacts --------------------------------------------------------------------------------


def masked_texts(contact: VoterContact) -> tuple[str, str, str]:
    """A contact's free text as a reader other than its deputy sees it: ID and phone numbers and
    names (the voter's own among them) masked (SEC-2), as for citizens' case texts."""
    from lianxin.cases.redaction import redact

    known = [str(contact.voter.name)] if contact.voter is not None else []
    return (
        redact(contact.content, known),
        redact(contact.opinions, known),
        redact(contact.help_given, known),
    )


@transaction.atomic
def record_contact(
    *,
    actor: Actor,
    voter: FixedVoter | None,
    contacted_on: dt.date,
    method: str,
    content: str,
    opinions: str = "",
    help_given: str = "",
    to_case: bool = False,
    category: Any = None,
) -> VoterContact:
    """记录联系 (VOT-1). With ``to_case`` the opinions are filed as a citizens' case through
    ``cases.services.file_case`` in the same step and linked to the contact."""
    person = own_person(actor)
    errors: dict[str, str] = {}
    if voter is not None and voter.deputy_id != person.pk:
        errors["voter"] = _("只能选择本人名单上的选民。")
    if contacted_on > today():
        errors["contacted_on"] = _("联系日期不能晚于今天。")
    if method not in ContactMethod.values:
        errors["method"] = _("请选择联系方式。")
    if not (content or "").strip():
        errors["content"] = _("请填写联系内容。")
    if to_case and not (opinions or "").strip():
        errors["opinions"] = _("转为群众意见时，请填写收集的意见建议。")
    if to_case and category is None:
        errors["category"] = _("转为群众意见时，请选择类别。")
    if errors:
        raise ValidationError(errors)
    contact = VoterContact.objects.create(
        deputy=person,
        voter=voter,
        contacted_on=contacted_on,
        method=method,
        content=content.strip(),
        opinions=(opinions or "").strip(),
        help_given=(help_given or "").strip(),
        created_by=actor.user,
    )
    if to_case:
        from lianxin.cases import services as cases

        region = voter.region if voter is not None else person.region
        if region is None:
            raise ValidationError({"voter": _("请选择名单上的选民，以确定意见所在的村（社区）。")})
        station = person.station_memberships.select_related("station").first()  # type: ignore[attr-defined]
        receipt = cases.file_case(
            intake=cases.Intake(
                channel=CASE_CHANNEL.get(method, "visit"),  # type: ignore[call-overload]
                region=region,
                category=category,
                text=contact.opinions,
                station=station.station if station is not None else None,
                deputy=person,
                name=voter.name if voter is not None else "",
                phone=voter.phone if voter is not None else "",
                anonymous=voter is None,
                received_at=timezone.make_aware(dt.datetime.combine(contacted_on, dt.time(12)))
                if contacted_on < today()
                else None,
            ),
            actor=actor,
        )
        contact.case = receipt.case
        contact.save(update_fields=["case", "updated_at"])
    _audit(actor, AuditEntry.Action.CREATE, contact)
    return contact


# --- Callback sample -------------------------------------------------------------------------


def _office_region(actor: Actor) -> Region:
    if not actor.has(Perm.CALL_VOTERS) or actor.role != Role.OFFICE or not region_path(actor):
        raise NotAllowed
    return actor.assignment.region  # type: ignore[union-attr, return-value]


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def callback_pool(region: Region, month: dt.date) -> list[int]:
    """Ids of the voters a sample of ``region`` and ``month`` draws from (rule above)."""
    voters = FixedVoter.objects.filter(
        region__path__startswith=region.path, year=month.year, is_active=True
    )
    contacted = voters.filter(
        contacts__contacted_on__gte=month, contacts__contacted_on__lt=_next_month(month)
    )
    ids = sorted(set(contacted.values_list("pk", flat=True)))
    return ids or sorted(voters.values_list("pk", flat=True))


def pick(pool: list[int], size: int, seed: str) -> list[int]:
    """The voters the seed draws: reproducible from the stored seed."""
    return sorted(random.Random(seed).sample(sorted(pool), min(size, len(pool))))  # noqa: S311


def default_size(pool_size: int) -> int:
    return max(1, (pool_size + 9) // 10)


def draw_sample(
    *, actor: Actor, month: dt.date, size: int | None = None, region: Region | None = None
) -> CallbackSample:
    """回访抽查 (VOT-1): one sample per region and month, never voters of other regions."""
    own = _office_region(actor)
    region = region or own
    if not region.path.startswith(own.path):
        raise NotAllowed
    month = first_of_month(month)
    pool = callback_pool(region, month)
    if not pool:
        raise ValidationError({"month": _("该区域该年度还没有固定联系选民，无法抽取。")})
    if size is not None and size < 1:
        raise ValidationError({"size": _("抽取人数至少为1人。")})
    count = size or default_size(len(pool))
    seed = f"{secrets.SystemRandom().getrandbits(128):032x}"
    try:
        with transaction.atomic():
            sample = CallbackSample.objects.create(
                region=region, month=month, size=min(count, len(pool)), seed=seed,
                created_by=actor.user,
            )  # fmt: skip
            CallbackCall.objects.bulk_create(
                CallbackCall(sample=sample, voter_id=pk) for pk in pick(pool, count, seed)
            )
    except IntegrityError as exc:
        raise Conflict(_("该区域这个月已经抽取过回访名单。")) from exc
    _audit(actor, AuditEntry.Action.CREATE, sample, note=f"seed={seed}")
    return sample


@transaction.atomic
def record_call(
    *, actor: Actor, call: CallbackCall, outcome: str, satisfaction: str = "", answer: str = ""
) -> CallbackCall:
    _office_region(actor)
    if not in_reach(actor, call):
        raise NotAllowed
    if outcome not in CallbackCall.Outcome.values or outcome == CallbackCall.Outcome.PENDING:
        raise ValidationError({"outcome": _("请选择回访结果。")})
    if satisfaction and satisfaction not in CallbackCall.Satisfaction.values:
        raise ValidationError({"satisfaction": _("请选择对代表的评价。")})
    if outcome == CallbackCall.Outcome.UNREACHABLE:
        satisfaction = ""
    call.outcome, call.satisfaction, call.answer = outcome, satisfaction, (answer or "").strip()
    call.called_at, call.called_by = timezone.now(), actor.user
    call.save()
    _audit(actor, AuditEntry.Action.UPDATE, call)
    return call


def reveal_phone(*, actor: Actor, call: CallbackCall) -> str:
    """The caller needs the voter's phone in clear (CALL_VOTERS); every showing is audited."""
    _office_region(actor)
    if not in_reach(actor, call):
        raise NotAllowed
    record(actor=actor, action=AuditEntry.Action.REVEAL, obj=call.voter, changes={"field": "phone"})
    return str(call.voter.phone)


@dataclass
class DeputyTally:
    deputy: Person
    calls: int
    outcomes: Counter[str]
    satisfaction: Counter[str]


def sample_summary(sample: CallbackSample) -> list[DeputyTally]:
    """Per deputy: how many of his voters were called and what they said."""
    rows: dict[int, DeputyTally] = {}
    for call in sample.calls.select_related("voter__deputy"):
        tally = rows.setdefault(
            call.voter.deputy_id, DeputyTally(call.voter.deputy, 0, Counter(), Counter())
        )
        tally.calls += 1
        tally.outcomes[call.outcome] += 1
        if call.satisfaction:
            tally.satisfaction[call.satisfaction] += 1
    return sorted(rows.values(), key=lambda t: t.deputy.name)


# --- Good deeds (VOT-4) ----------------------------------------------------------------------


@transaction.atomic
def record_deed(
    *,
    actor: Actor,
    done_on: dt.date,
    title: str,
    description: str,
    region: Region | None = None,
    beneficiaries: str = "",
) -> GoodDeed:
    """为民办实事: the deputy records it; it counts once his station confirms it."""
    person = own_person(actor)
    errors: dict[str, str] = {}
    region = region or person.region
    home = person.region
    if region is None or home is None or not region.path.startswith(home.path):
        errors["region"] = _("请选择您所在区域内的地方。")
    if done_on > today():
        errors["done_on"] = _("办理日期不能晚于今天。")
    if not (title or "").strip():
        errors["title"] = _("请填写实事名称。")
    if not (description or "").strip():
        errors["description"] = _("请填写具体情况。")
    if errors or region is None:
        raise ValidationError(errors)
    deed = GoodDeed.objects.create(
        deputy=person, done_on=done_on, region=region, title=title.strip()[:120],
        description=description.strip(), beneficiaries=(beneficiaries or "").strip()[:120],
    )  # fmt: skip
    _audit(actor, AuditEntry.Action.CREATE, deed)
    return deed


@transaction.atomic
def decide_deed(*, actor: Actor, deed: GoodDeed, confirm: bool, note: str = "") -> GoodDeed:
    """The station (or office) confirms or rejects a good deed, with a note."""
    if not actor.has(Perm.MANAGE_ACTIVITIES) or not in_reach(actor, deed):
        raise NotAllowed
    if deed.status != GoodDeed.Status.PENDING:
        raise Conflict
    if not confirm and not (note or "").strip():
        raise ValidationError({"note": _("不通过时请写明理由。")})
    deed.status = GoodDeed.Status.CONFIRMED if confirm else GoodDeed.Status.REJECTED
    deed.note, deed.confirmed_by, deed.confirmed_at = (
        (note or "").strip()[:200],
        actor.user,
        timezone.now(),
    )
    deed.save()
    _audit(actor, AuditEntry.Action.ACTION, deed, note=deed.status)
    return deed


def deeds_progress(person: Person, year: int) -> Progress:
    """Confirmed good deeds done in ``year`` (Beijing dates) against the quota."""
    count = GoodDeed.objects.filter(
        deputy=person, done_on__year=year, status=GoodDeed.Status.CONFIRMED
    ).count()
    return Progress(year, count, standards.quota(congress_id_of(person), "good_deeds"))


# --- Grid duties (VOT-3) ---------------------------------------------------------------------

GRID_KINDS = {
    "grid_visits": ("grid_visit", "half_month"),
    "grid_meetings": ("grid_meeting", "month"),
    "policy_talks": ("policy_talk", "quarter"),
    "grid_research": ("inspection", "year"),
}


def _slot(day: dt.date, per: str) -> int:
    if per == "half_month":
        return (day.month - 1) * 2 + (0 if day.day <= 15 else 1)
    if per == "month":
        return day.month - 1
    if per == "quarter":
        return (day.month - 1) // 3
    return 0


def _slot_end(year: int, per: str, index: int) -> dt.date:
    """The last day of slot ``index`` of ``year``."""
    if per == "half_month":
        month = index // 2 + 1
        if index % 2 == 0:
            return dt.date(year, month, 15)
        return _next_month(dt.date(year, month, 1)) - dt.timedelta(days=1)
    if per == "month":
        return _next_month(dt.date(year, index + 1, 1)) - dt.timedelta(days=1)
    if per == "quarter":
        return _next_month(dt.date(year, index * 3 + 3, 1)) - dt.timedelta(days=1)
    return dt.date(year, 12, 31)


@dataclass
class Duty:
    code: str
    label: Any
    per: str
    quota: int
    counts: list[int]  # per slot
    ended: int  # slots over by today

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def met(self) -> int:
        return sum(1 for c in self.counts if c >= self.quota)

    @property
    def behind(self) -> int:
        """Slots already over in which the quota was not met."""
        return sum(1 for c in self.counts[: self.ended] if c < self.quota)


def grid_duties(person: Person, year: int) -> list[Duty]:
    """网格职责 (VOT-3) of ``person`` in ``year`` (Beijing dates): activities with a grid that
    he attended (signed in present), approved or not needing approval, not cancelled."""
    from lianxin.activities.models.activity import Activity, Participant

    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    rows = (
        Activity.objects.filter(
            grid__isnull=False,
            kind__in=[kind for kind, _per in GRID_KINDS.values()],
            starts_at__gte=start,
            starts_at__lt=end,
            approval__in=[Activity.Approval.NOT_NEEDED, Activity.Approval.APPROVED],
            participants__person=person,
            participants__attendance=Participant.Attendance.PRESENT,
        )
        .exclude(status=Activity.Status.CANCELLED)
        .distinct()
        .values_list("kind", "starts_at")
    )
    congress = congress_id_of(person)
    now = today()
    duties: list[Duty] = []
    for code, (kind, per) in GRID_KINDS.items():
        slots = {"half_month": 24, "month": 12, "quarter": 4, "year": 1}[per]
        counts = [0] * slots
        for row_kind, starts_at in rows:
            if row_kind == kind:
                counts[_slot(timezone.localtime(starts_at, tz).date(), per)] += 1
        ended = sum(1 for i in range(slots) if _slot_end(year, per, i) < now)
        duties.append(
            Duty(code, standards.STANDARDS[code].label, per,
                 standards.quota(congress, code), counts, ended)
        )  # fmt: skip
    return duties


def grid_deputies_behind(actor: Actor, year: int) -> list[tuple[Person, list[Duty]]]:
    """Deputies serving in the grids within the staff's reach who are behind (VOT-3)."""
    from lianxin.accounts.permissions import scope
    from lianxin.directory.models import Grid

    if not actor.has(Perm.VIEW_ACTIVITIES) or actor.role == Role.DEPUTY:
        raise NotAllowed
    grids = scope(actor, Grid.objects.filter(is_active=True))
    people = (
        Person.objects.filter(
            grid_roles__grid__in=grids,
            grid_roles__role="deputy",
            grid_roles__ends_on__isnull=True,
        )
        .distinct()
        .order_by("name")
    )
    out = []
    for person in people:
        duties = grid_duties(person, year)
        if any(d.behind for d in duties):
            out.append((person, duties))
    return out


# --- Reports to voters (VOT-2) ---------------------------------------------------------------


def _report_deputy(actor: Actor, deputy: Person | None) -> Person:
    """The deputy himself, or staff (MANAGE_ACTIVITIES) for a deputy within their reach."""
    from lianxin.accounts.permissions import scope

    if actor.role == Role.DEPUTY:
        person = own_person(actor)
        if deputy is not None and deputy.pk != person.pk:
            raise NotAllowed
        return person
    if not actor.has(Perm.MANAGE_ACTIVITIES) or deputy is None:
        raise NotAllowed
    if not scope(actor, Person.objects.filter(pk=deputy.pk)).exists():
        raise NotAllowed
    return deputy


@transaction.atomic
def record_report(
    *,
    actor: Actor,
    held_on: dt.date,
    place: str,
    report: str,
    voters_present: int,
    satisfied: int = 0,
    basically: int = 0,
    dissatisfied: int = 0,
    opinions: str = "",
    deputy: Person | None = None,
) -> Any:
    """述职评议 (VOT-2): the report and the voters' tally; votes never exceed those present."""
    from lianxin.activities.models.voters import VoterReport

    person = _report_deputy(actor, deputy)
    errors: dict[str, str] = {}
    if held_on > today():
        errors["held_on"] = _("述职日期不能晚于今天。")
    if not (place or "").strip():
        errors["place"] = _("请填写地点。")
    if not (report or "").strip():
        errors["report"] = _("请填写述职报告。")
    if min(voters_present, satisfied, basically, dissatisfied) < 0:
        errors["voters_present"] = _("人数和票数不能为负数。")
    elif satisfied + basically + dissatisfied > voters_present:
        errors["satisfied"] = _("测评票数不能多于参加选民人数。")
    if errors:
        raise ValidationError(errors)
    row = VoterReport.objects.create(
        deputy=person, held_on=held_on, place=place.strip()[:200], report=report.strip(),
        voters_present=voters_present, satisfied=satisfied, basically=basically,
        dissatisfied=dissatisfied, opinions=(opinions or "").strip(), created_by=actor.user,
    )  # fmt: skip
    _audit(actor, AuditEntry.Action.CREATE, row)
    return row


def satisfaction_rate(row: Any) -> int | None:
    """满意率: (满意 + 基本满意) / 测评票数, in whole per cent; None without votes."""
    if not row.votes:
        return None
    return round(100 * (row.satisfied + row.basically) / row.votes)


def not_reported(actor: Actor) -> list[Person]:
    """Serving deputies within the staff's reach who have not reported this term (VOT-2)."""
    from lianxin.accounts.permissions import scope
    from lianxin.activities.models.voters import VoterReport
    from lianxin.directory.models import Mandate

    if not actor.has(Perm.MANAGE_ACTIVITIES):
        raise NotAllowed
    mandates = (
        scope(actor, Mandate.objects.all())
        .filter(status=Mandate.Status.SERVING, term__is_current=True)
        .select_related("person", "term")
    )
    out: dict[int, Person] = {}
    for m in mandates:
        since = m.term.starts_on
        if not VoterReport.objects.filter(deputy=m.person, held_on__gte=since).exists():
            out[m.person_id] = m.person
    return sorted(out.values(), key=lambda p: p.name)


# --- Committee members' contacts with deputies (ORG-10) --------------------------------------


def my_links(person: Person) -> QuerySet[Any]:
    """The member's current links to deputies (ended links are history)."""
    from lianxin.directory.models import CommitteeLink

    return (
        CommitteeLink.objects.filter(member=person, ends_on__isnull=True)
        .select_related("deputy", "congress")
        .order_by("deputy__name")
    )


@transaction.atomic
def record_committee_contact(
    *, actor: Actor, link: Any, contacted_on: dt.date, method: str, content: str,
    opinions: str = "",
) -> Any:  # fmt: skip
    """A standing committee member records a contact with one of his linked deputies."""
    from lianxin.activities.models.voters import CommitteeContact

    person = own_person(actor)
    if link.member_id != person.pk or link.ends_on is not None:
        raise NotAllowed
    errors: dict[str, str] = {}
    if contacted_on > today():
        errors["contacted_on"] = _("联系日期不能晚于今天。")
    if method not in ContactMethod.values:
        errors["method"] = _("请选择联系方式。")
    if not (content or "").strip():
        errors["content"] = _("请填写联系内容。")
    if errors:
        raise ValidationError(errors)
    row = CommitteeContact.objects.create(
        link=link, contacted_on=contacted_on, method=method, content=content.strip(),
        opinions=(opinions or "").strip(), created_by=actor.user,
    )  # fmt: skip
    _audit(actor, AuditEntry.Action.CREATE, row)
    return row


@dataclass
class Coverage:
    member: Person
    links: list[tuple[Person, int]]  # each linked deputy and this year's contacts
    quota: int

    @property
    def short(self) -> list[Person]:
        return [deputy for deputy, n in self.links if n < self.quota]


def sees_coverage(actor: Actor) -> bool:
    """The members' coverage is the office's and leadership's to read (ORG-10)."""
    return actor.has(Perm.VIEW_ACTIVITIES) and actor.role in (Role.OFFICE, Role.LEADERSHIP)


def committee_coverage(actor: Actor, year: int) -> list[Coverage]:
    """Per member within the office's reach: each linked deputy contacted ≥ the quota a year."""
    from lianxin.accounts.permissions import scope
    from lianxin.activities.models.voters import CommitteeContact
    from lianxin.directory.models import CommitteeLink

    if not sees_coverage(actor):
        raise NotAllowed
    links = scope(actor, CommitteeLink.objects.filter(ends_on__isnull=True)).select_related(
        "member", "deputy"
    )
    counts = Counter(
        CommitteeContact.objects.filter(link__in=links, contacted_on__year=year).values_list(
            "link_id", flat=True
        )
    )
    rows: dict[int, Coverage] = {}
    for link in links.order_by("member__name", "deputy__name"):
        row = rows.setdefault(
            link.member_id,
            Coverage(link.member, [], standards.quota(link.congress_id, "committee_contacts")),
        )
        row.links.append((link.deputy, counts[link.pk]))
    return list(rows.values())
