"""Writes of the core directory that are more than "save this form" (ORG-2, ORG-3).

Plain create/edit of directory records goes through ``lianxin.common.services.save_record``
(pages) and ``save_instance`` (API); what has rules of its own lives here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, can_edit, can_edit_model, in_reach, scope
from lianxin.audit.context import acting_as
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.common.services import actor_rule, save_instance
from lianxin.directory.models import (
    Checklist,
    ChecklistItem,
    CommitteeLink,
    GridMember,
    GroupMembership,
    Inspection,
    InspectionScore,
    Mandate,
    Person,
    Station,
    StationMembership,
    WorkPlan,
)
from lianxin.regions.models import Region


@transaction.atomic
def mandate_end(
    *,
    actor: Actor,
    mandate: Mandate,
    ended_on: datetime.date,
    reason: str,
    note: str = "",
) -> Mandate:
    """Ends a serving mandate (代表资格终止, 辞职) with its reason and date (ORG-3)."""
    if not can_edit(actor, mandate):
        raise NotAllowed
    errors: dict[str, str] = {}
    if reason not in Mandate.EndReason.values:
        errors["reason"] = _("请选择终止原因。")
    if ended_on is None:
        errors["ended_on"] = _("请填写终止日期。")
    elif ended_on < mandate.started_on:
        errors["ended_on"] = _("终止日期不能早于任职日期。")
    if errors:
        raise ValidationError(errors)
    status = (
        Mandate.Status.RESIGNED
        if reason == Mandate.EndReason.RESIGNATION
        else Mandate.Status.TERMINATED
    )
    locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
    if locked.status != Mandate.Status.SERVING:
        raise Conflict(_("该任职已经终止。"))
    locked.status, locked.ended_on = status, ended_on
    locked.end_reason, locked.end_note = reason, note.strip()[:200]
    with acting_as(actor):
        locked.save(update_fields=["status", "ended_on", "end_reason", "end_note", "updated_at"])
        _end_deputy_memberships(locked, ended_on)
    return locked


def _end_open(rows: Iterable[Any], ended_on: datetime.date) -> int:
    """Ends each open row on ``ended_on`` (never before it began); saved one by one so that the
    audit trail records every end (SEC-4). Nothing is deleted."""
    count = 0
    for row in rows:
        row.ends_on = max(ended_on, row.starts_on)
        row.save(update_fields=["ends_on", "updated_at"])
        count += 1
    return count


def _end_deputy_memberships(mandate: Mandate, ended_on: datetime.date) -> None:
    """CASE-12: when a person's last serving mandate ends, what he sat in as a deputy ends on
    the same date — his stations (ORG-7), groups (ORG-8), grids as a deputy (ORG-9) and the
    standing committee links to him (ORG-10). A deputy who still serves at another level keeps
    them, except the groups of this congress that take no other level (ORG-8)."""
    person_id = mandate.person_id
    groups = GroupMembership.objects.filter(person_id=person_id, ends_on__isnull=True)
    if Mandate.objects.filter(person_id=person_id, status=Mandate.Status.SERVING).exists():
        _end_open(
            groups.filter(group__mixed_levels=False, group__congress_id=mandate.term.congress_id),
            ended_on,
        )
        return
    _end_open(StationMembership.objects.filter(person_id=person_id, ends_on__isnull=True), ended_on)
    _end_open(groups, ended_on)
    _end_open(
        GridMember.objects.filter(
            person_id=person_id, role=GridMember.Role.DEPUTY, ends_on__isnull=True
        ),
        ended_on,
    )
    _end_open(CommitteeLink.objects.filter(deputy_id=person_id, ends_on__isnull=True), ended_on)


@transaction.atomic
def workplan_publish(*, actor: Actor, plan: WorkPlan) -> WorkPlan:
    """Publishes the annual deputy-work plan (代表法 §43); publishing twice changes nothing."""
    if not can_edit(actor, plan):
        raise NotAllowed
    locked = WorkPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status == WorkPlan.Status.PUBLISHED:
        return locked
    locked.status, locked.published_at = WorkPlan.Status.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    return locked


# --- Grids (ORG-9) -----------------------------------------------------------------------------


def _township_path(region: Region | None) -> str | None:
    """The path of the township (or street) a region lies in; None above township level."""
    if region is None or region.level < Region.Level.TOWNSHIP:
        return None
    parts = region.path.strip("/").split("/")
    return "/" + "/".join(parts[: len(parts) - (region.level - Region.Level.TOWNSHIP)]) + "/"


def home_townships(person: Person) -> set[str]:
    """The townships a deputy belongs to: where he lives (his region) and where his home
    station is (ORG-7, ORG-9)."""
    found = {_township_path(person.region)} if person.region_id else set()
    homes = StationMembership.objects.filter(
        person=person, kind=StationMembership.Kind.HOME, ends_on__isnull=True
    ).select_related("station__region")
    found |= {_township_path(m.station.region) for m in homes}
    return {path for path in found if path}


def _actor_region_path(actor: Actor) -> str | None:
    """The region an actor's reach covers as a whole: an office's region, or the region of a
    station staff member's station."""
    a = actor.assignment
    if a is None:
        return None
    if a.role in (Role.OFFICE, Role.LEADERSHIP) and a.region_id:
        return a.region.path  # type: ignore[union-attr]
    if a.role == Role.STATION and a.station_id:
        return a.station.region.path  # type: ignore[union-attr]
    return None


@actor_rule("directory.gridmember")
def check_grid_assignment(actor: Actor, member: GridMember) -> None:
    """ORG-9: a deputy is assigned to a grid of his own township; a grid of another township
    takes him only when the staff assigning him reach both townships (e.g. the county office)."""
    if member.role != GridMember.Role.DEPUTY or member.ends_on is not None:
        return
    grid_township = _township_path(member.grid.region)
    homes = home_townships(member.person)
    if not homes or grid_township in homes:
        return
    covered = _actor_region_path(actor)
    if (
        covered
        and grid_township
        and grid_township.startswith(covered)
        and all(home.startswith(covered) for home in homes)
    ):
        return
    raise ValidationError(
        {
            "person": _(
                "%(name)s 不属于本网格所在的乡镇（街道）；跨乡镇编入网格须由同时管辖两地的"
                "人大机关工作人员办理。"
            )
            % {"name": member.person.name}
        }
    )


# --- Station standards and inspections (ORG-6) -------------------------------------------------


@dataclass(frozen=True)
class TemplateItem:
    title: str
    requirement: str
    max_score: int


@dataclass(frozen=True)
class ChecklistTemplate:
    """A checklist offices already use, shipped as data: one click creates it for a region."""

    key: str
    name: str
    description: str
    items: tuple[TemplateItem, ...]
    pass_score: int = 60

    @property
    def total(self) -> int:
        return sum(item.max_score for item in self.items)


# 长垣 "七有" and 郸城 "八有" (ORG-6), each summing to 100: records of Chinese offices, so the
# created rows hold the Chinese text whatever the interface language.
CHECKLIST_TEMPLATES: dict[str, ChecklistTemplate] = {
    t.key: t
    for t in (
        ChecklistTemplate(
            key="qiyou",
            name="七有",
            description="长垣市人大代表联络站“七有”建设标准：有标识、有场所、有制度、有版面、"
            "有计划、有记录、有档案。",
            items=(
                TemplateItem("有标识", "门口悬挂统一标牌，站内有代表联络站标识和指引。", 15),
                TemplateItem("有场所", "有固定的接待场所，配备桌椅等必要办公设施。", 15),
                TemplateItem("有制度", "接待选民、意见办理、学习培训等制度齐全并上墙。", 15),
                TemplateItem(
                    "有版面", "公示进站代表名单、照片、联系方式和接待时间，内容及时更新。", 15
                ),
                TemplateItem("有计划", "有年度活动计划和每月接待安排，并按计划开展。", 15),
                TemplateItem("有记录", "接待选民、收集意见和办理反馈有登记记录。", 15),
                TemplateItem("有档案", "活动资料、意见办理材料分类归档，保存完整。", 10),
            ),
        ),
        ChecklistTemplate(
            key="bayou",
            name="八有",
            description="郸城县人大代表联络站“八有”建设标准：有固定场所、有办公设施、有规章制度、"
            "有代表履职、有登记记录、有意见收集、有转办交接、有办理反馈。",
            items=(
                TemplateItem("有固定场所", "有独立、固定、便于群众到达的活动场所。", 15),
                TemplateItem("有办公设施", "配备办公桌椅、电脑、档案柜等必要设施。", 10),
                TemplateItem("有规章制度", "各项工作制度健全，主要制度上墙公示。", 10),
                TemplateItem("有代表履职", "代表按排班定期进站接待选民、开展活动。", 15),
                TemplateItem("有登记记录", "代表进站、接待选民有登记，记录完整规范。", 10),
                TemplateItem("有意见收集", "设置意见箱、二维码等渠道，及时收集群众意见。", 15),
                TemplateItem("有转办交接", "意见建议分类转交有关单位，交接手续清楚。", 10),
                TemplateItem("有办理反馈", "办理结果及时反馈群众，群众满意度有回访。", 15),
            ),
        ),
    )
}


def _office_region(actor: Actor) -> Region:
    a = actor.assignment
    if a is None or a.role != Role.OFFICE or a.region_id is None:
        raise NotAllowed
    return a.region  # type: ignore[return-value]


@transaction.atomic
def checklist_from_template(*, actor: Actor, key: str) -> Checklist:
    """Creates one of the shipped checklists (七有, 八有) with its items for the region of the
    acting office (ORG-6)."""
    template = CHECKLIST_TEMPLATES.get(key)
    if template is None:
        raise ValidationError({"template": _("请选择模板。")})
    region = _office_region(actor)
    if Checklist.objects.filter(region=region, name=template.name).exists():
        raise Conflict(
            _("%(region)s已有名为“%(name)s”的标准，请直接修改它。")
            % {"region": region.name, "name": template.name}
        )
    with acting_as(actor):
        checklist = save_instance(
            actor=actor,
            instance=Checklist(
                name=template.name,
                region=region,
                pass_score=template.pass_score,
                description=template.description,
            ),
        )
        for order, item in enumerate(template.items, start=1):
            save_instance(
                actor=actor,
                instance=ChecklistItem(
                    checklist=checklist,
                    order=order,
                    title=item.title,
                    requirement=item.requirement,
                    max_score=item.max_score,
                ),
            )
    return checklist


@transaction.atomic
def checklist_item_delete(*, actor: Actor, item: ChecklistItem) -> None:
    """Deletes an item no inspection has scored; a used item is edited, never deleted, so past
    results stay readable (ORG-6)."""
    if not can_edit(actor, item):
        raise NotAllowed
    locked = ChecklistItem.objects.select_for_update().get(pk=item.pk)
    if locked.scores.exists():
        raise Conflict(
            _("“%(title)s”已用于检查评分，不能删除；可以修改它。") % {"title": locked.title}
        )
    with acting_as(actor):
        locked.delete()


def applicable_checklists(actor: Actor, station: Station) -> list[Checklist]:
    """The active checklists the actor may use that apply to ``station`` (its kind, its region
    on the checklist's branch)."""
    found = scope(actor, Checklist.objects.filter(is_active=True).select_related("region"))
    return [c for c in found.order_by("region__path", "name") if c.applies_to(station)]


@dataclass(frozen=True)
class ItemScore:
    """What the inspector gave one item (ORG-6)."""

    item_id: int
    score: Any
    note: str = ""


def score_key(item_id: int) -> str:
    """The error key of one item's score, also the name of its field on the scoring page."""
    return f"score_{item_id}"


def _passed(score: int, maximum: int, pass_score: int) -> bool:
    """The pass mark is set against 100 points; a checklist with another total scales it."""
    return maximum > 0 and score * 100 >= pass_score * maximum


def _check_scores(
    items: dict[int, tuple[str, int]], scores: Iterable[ItemScore]
) -> tuple[dict[int, ItemScore], dict[str, list[str]]]:
    """Validates one score per item (0..its full score); Chinese messages keyed per item."""
    errors: dict[str, list[str]] = {}
    given: dict[int, ItemScore] = {}
    for entry in scores:
        if entry.item_id not in items:
            errors.setdefault("scores", []).append(_("评分项目不属于该标准。"))
            continue
        title, maximum = items[entry.item_id]
        key, value, note = score_key(entry.item_id), entry.score, (entry.note or "").strip()
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, bool) or not isinstance(value, int):
            errors[key] = [_("请填写“%(title)s”的得分。") % {"title": title}]
        elif not 0 <= value <= maximum:
            errors[key] = [
                _("“%(title)s”的得分应在0到%(max)s分之间。") % {"title": title, "max": maximum}
            ]
        elif len(note) > 200:
            errors[key] = [_("“%(title)s”的说明不能超过200字。") % {"title": title}]
        else:
            given[entry.item_id] = ItemScore(entry.item_id, value, note)
    for item_id, (title, _maximum) in items.items():
        if item_id not in given and score_key(item_id) not in errors:
            errors[score_key(item_id)] = [_("请填写“%(title)s”的得分。") % {"title": title}]
    return given, errors


@transaction.atomic
def inspection_record(
    *,
    actor: Actor,
    station: Station,
    checklist: Checklist,
    inspected_on: datetime.date,
    inspectors: str,
    scores: Iterable[ItemScore],
    findings: str = "",
    rectification: str = "",
    inspection: Inspection | None = None,
) -> Inspection:
    """Records an inspection scoring ``station`` against ``checklist`` (ORG-6), or corrects one
    (``inspection``): every item's score is checked, the total, the full score and the verdict
    computed, and all of it written at once — or nothing when anything is wrong.

    Each score keeps a copy of its item's full score, so later edits of the checklist do not
    rewrite past results; a correction re-scores the items the inspection was made with."""
    if not can_edit_model(actor, Inspection):
        raise NotAllowed
    if inspection is not None:
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        if not can_edit(actor, inspection):
            raise NotAllowed
        station, checklist = inspection.station, inspection.checklist
        rows = {s.item_id: s for s in inspection.scores.select_related("item")}
        items = {pk: (row.item.title, row.max_score) for pk, row in rows.items()}
    else:
        if not in_reach(actor, station) or not in_reach(actor, checklist):
            raise NotAllowed
        rows = {}
        items = {
            i.pk: (i.title, i.max_score) for i in checklist.items.all().order_by("order", "pk")
        }
    errors: dict[str, list[str]] = {}
    if not items:
        errors["checklist"] = [_("该标准还没有评分项目，请先添加项目。")]
    given, score_errors = _check_scores(items, scores)
    errors.update(score_errors)
    if not (inspectors or "").strip():
        errors["inspectors"] = [_("请填写检查人员。")]
    if inspected_on is None:
        errors["inspected_on"] = [_("请填写检查日期。")]
    if errors:
        raise ValidationError(errors)
    total = sum(int(s.score) for s in given.values())
    maximum = sum(m for _t, m in items.values())
    record = inspection or Inspection(station=station, checklist=checklist)
    if inspection is None:
        record.recorded_by = actor.user if actor.is_authenticated else None
    record.inspected_on = inspected_on
    record.inspectors = inspectors.strip()[:200]
    record.findings, record.rectification = findings.strip(), rectification.strip()
    record.score, record.max_score = total, maximum
    record.passed = _passed(total, maximum, checklist.pass_score)
    with acting_as(actor):
        record = save_instance(actor=actor, instance=record)
        for item_id, entry in given.items():
            row = rows.get(item_id) or InspectionScore(
                inspection=record, item_id=item_id, max_score=items[item_id][1]
            )
            if row.pk and (row.score, row.note) == (entry.score, entry.note):
                continue
            row.score, row.note = entry.score, entry.note
            row.save()
    return record


# --- Handover when a staff member leaves (CASE-12) ---------------------------------------------


@transaction.atomic
def staff_leave(*, actor: Actor, person: Person, ended_on: datetime.date) -> int:
    """办理离任: ends the posts ``person`` holds as staff — station posts (站长 etc., ORG-5),
    group leader and vice-leader positions (ORG-8), grid head and grid member roles (ORG-9) —
    on ``ended_on``, within the actor's reach; the posts then show as vacant. A leader who
    still serves as a deputy stays in his group as a member. Returns how many posts ended.

    What else he answers for (standing committee links, expert assignments, accounts, and the
    cases of later apps) is listed by ``lianxin.directory.handover.responsibilities`` for the
    office to reassign one by one."""
    from lianxin.directory.handover import grid_posts, group_posts, station_posts

    if not can_edit(actor, person):
        raise NotAllowed
    if ended_on is None:
        raise ValidationError({"ended_on": _("请填写离任日期。")})
    posts: list[Any] = [
        *station_posts(actor, person),
        *grid_posts(actor, person),
        *group_posts(actor, person),
    ]
    for post in posts:
        if not can_edit(actor, post):
            raise NotAllowed
    serving = Mandate.objects.filter(person=person, status=Mandate.Status.SERVING).exists()
    with acting_as(actor):
        _end_open(posts, ended_on)
        for post in posts:
            if isinstance(post, GroupMembership) and serving:
                stays = GroupMembership(
                    group=post.group,
                    person=person,
                    position=GroupMembership.Position.MEMBER,
                    starts_on=post.ends_on or ended_on,
                )
                try:
                    save_instance(actor=actor, instance=stays)
                except ValidationError:
                    continue  # no longer fits the group (ORG-8): he simply leaves it
    return len(posts)
