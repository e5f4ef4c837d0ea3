"""Activities and voters demo (ACT-1..3, VOT-1..4, ORG-10), so that the demo deputies' record
(PERF-1) shows every kind of work.

For 郏县安良镇 and 西峡县丁河镇, around their demo deputies (``anliang_deputy``,
``dinghe_deputy``): the station's annual plan with items (two early months left undone, the
months of the activities held, one ahead), the county's training plan with a class held (one
absence, one excused) and one published ahead, a grid visit, a group meeting, a reception, a self-reported visit waiting for approval
and one approved; fixed voters (10 for 安良, 6 for 丁河; names, phones and addresses set through
the encrypted fields), voter contacts — one of them filed as a case through
``cases.services.file_case`` —, the office's callback sample with its calls, a report to
voters, good deeds confirmed and pending, and standing committee contacts on an existing link.

Deterministic and idempotent: dates count back from today, and a second run adds nothing.
All names and numbers are invented.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from lianxin.accounts.models import User
from lianxin.activities.duty.demo import _deputy, _pool_deputies, _station
from lianxin.activities.models import (
    Activity,
    ActivityKind,
    ActivityPlan,
    Assignment,
    CallbackCall,
    CallbackSample,
    CommitteeContact,
    ContactMethod,
    FixedVoter,
    GoodDeed,
    Participant,
    PlanItem,
    TrainingPlan,
    VoterContact,
    VoterReport,
)
from lianxin.cases import services as case_services
from lianxin.cases.models import Case, Category
from lianxin.directory.models import (
    CommitteeLink,
    Congress,
    DeputyGroup,
    Grid,
    GroupMembership,
    Person,
    Station,
)
from lianxin.holidays.deadlines import BEIJING
from lianxin.regions.models import Region

TRAINING_TITLE = "代表履职能力提升培训"
VOTER_NAMES = [
    "赵春花", "钱卫国", "孙桂英", "李建华", "周玉兰", "吴志刚", "郑秀梅", "王长顺", "冯小燕", "陈德胜",
]  # fmt: skip
OCCUPATIONS = ["村民", "个体工商户", "退休教师", "种植户", "外出务工人员"]
# (prefix, phone area, number of fixed voters)
TOWNS = [("anliang", "0375", 10), ("dinghe", "0377", 6)]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BEIJING)


class _Town:
    def __init__(self, prefix: str, area: str, voters: int, today: dt.date) -> None:
        self.prefix, self.area, self.voters, self.today = prefix, area, voters, today
        self.created = 0

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def load(self, deputy: Person, station: Station) -> None:
        self.deputy, self.station = deputy, station
        self.staff = User.objects.filter(username=f"{self.prefix}_station").first()
        self.office = User.objects.filter(username=f"{self.prefix}_office").first()
        self.people = _pool_deputies(station, deputy, 4)
        villages = list(Region.objects.filter(parent=station.region).order_by("code"))
        self.villages = villages or [station.region]
        self._activities()
        voters = self._voters()
        self._contacts(voters)
        self._callbacks(voters)
        self._report_and_deeds()
        self._committee()
        self._excused_post()

    # --- Activities (ACT-1..3) -------------------------------------------------------------

    def _activity(
        self,
        days: int,
        kind: str,
        title: str,
        *,
        people: list[Person] | None = None,
        method: str = Participant.Method.SCREEN,
        place: str = "",
        **fields: Any,
    ) -> Activity:
        day = self.ago(days)
        people = self.people if people is None else people
        act = Activity.objects.create(
            kind=kind,
            title=title,
            region=self.station.region,
            station=self.station,
            place=place or self.station.name,
            starts_at=_at(day, 9),
            ends_at=_at(day, 11, 30),
            status=Activity.Status.HELD,
            created_by=self.staff,
            **fields,
        )
        Participant.objects.bulk_create(
            Participant(
                activity=act,
                person=p,
                attendance=Participant.Attendance.PRESENT,
                signed_in_at=_at(day, 8, 50 + i),
                method=method,
            )
            for i, p in enumerate(people)
        )
        self.created += 1 + len(people)
        return act

    def _activities(self) -> None:
        year = self.today.year
        plan = ActivityPlan.objects.create(
            station=self.station, year=year, note="按“代表周三见”和集日接待安排全年活动。"
        )
        # Months of the plan (ACT-1): two early ones with nothing held yet (the plan page flags
        # them), the months of the activities held below, and one still ahead.
        ahead = self.today + dt.timedelta(days=20)
        dated = [
            (self.ago(20), ActivityKind.GRID_VISIT, "网格入户走访"),
            (self.ago(12), ActivityKind.RECEPTION, "代表集中进站接待选民"),
            (ahead, ActivityKind.STOOL_FORUM, "小板凳议事：村道养护"),
        ]
        months = [
            (3, ActivityKind.POLICY_TALK, "宣讲惠农政策"),
            (6, ActivityKind.INSPECTION, "视察农村饮水安全"),
            *((day.month, kind, title) for day, kind, title in dated if day.year == year),
        ]
        items = PlanItem.objects.bulk_create(
            PlanItem(plan=plan, month=m, kind=kind, title=title) for m, kind, title in months
        )
        reception_item = next((i for i in items if i.kind == ActivityKind.RECEPTION), None)
        self.created += 1 + len(items)
        county = Congress.objects.filter(pk__in=self._county_congress()).first()
        if county is not None:
            self._training(county)
        self._activity(12, ActivityKind.RECEPTION, "代表集中进站接待选民", plan_item=reception_item)
        grid = (
            Grid.objects.filter(region__path__startswith=self.station.region.path)
            .order_by("pk")
            .first()
        )
        if grid is not None:
            self._activity(
                20,
                ActivityKind.GRID_VISIT,
                f"{grid.name}入户走访",
                grid=grid,
                place=grid.name,
                solved_on_spot=2,
                outcomes="收集意见3条，现场解决2个问题。",
            )
        group = self._group()
        if group is not None:
            self._activity(
                30,
                ActivityKind.GROUP_MEETING,
                f"{group.name}季度活动",
                group=group,
                report_title="关于农村道路养护的调研报告",
                report_text="调研了本镇村道养护情况，提出三条建议。",
            )
        for days, approval, title in [
            (8, Activity.Approval.PENDING, "走访选区困难群众"),
            (25, Activity.Approval.APPROVED, "走访辖区企业了解用工情况"),
        ]:
            act = self._activity(
                days,
                ActivityKind.CONSTITUENCY_VISIT,
                title,
                people=[self.deputy],
                method=Participant.Method.SELF,
                approval=approval,
                place=self.villages[0].name,
            )
            if approval == Activity.Approval.APPROVED:
                Activity.objects.filter(pk=act.pk).update(
                    approved_by=self.staff, approved_at=_at(self.ago(days - 1), 10)
                )

    def _training(self, county: Congress) -> None:
        """The county's training plan (ACT-3) for the year of its first class, held 45 days
        ago with one absence and one excused; a second class published ahead if it falls in
        the same year."""
        first_day = self.ago(45)
        training, _created = TrainingPlan.objects.get_or_create(
            congress=county,
            year=first_day.year,
            title=TRAINING_TITLE,
            defaults={
                "level": county.level,
                "theme": "代表建议撰写与履职实务",
                "audience": "县、乡两级人大代表",
                "planned_classes": 3,
                "planned_hours": 18,
            },
        )
        self.created += int(_created)
        first = self._activity(
            45,
            ActivityKind.TRAINING,
            f"{TRAINING_TITLE}（{self.station.region.name}班）",
            training_plan=training,
            organiser_name=county.name,
            hours=Decimal("6.0"),
        )
        marks = [Participant.Attendance.ABSENT, Participant.Attendance.EXCUSED]
        for participant, mark in zip(
            first.participants.exclude(person=self.deputy).order_by("pk"), marks, strict=False
        ):
            participant.attendance, participant.signed_in_at, participant.method = mark, None, ""
            participant.save(update_fields=["attendance", "signed_in_at", "method"])
        ahead = self.today + dt.timedelta(days=10)
        if ahead.year == training.year:
            upcoming = Activity.objects.create(
                kind=ActivityKind.TRAINING,
                title=f"{TRAINING_TITLE}（{self.station.region.name}班第二期）",
                region=self.station.region,
                station=self.station,
                training_plan=training,
                organiser_name=county.name,
                place=self.station.name,
                starts_at=_at(ahead, 9),
                ends_at=_at(ahead, 16),
                hours=Decimal("6.0"),
                created_by=self.staff,
            )
            Participant.objects.bulk_create(
                Participant(activity=upcoming, person=p) for p in self.people
            )
            self.created += 1 + len(self.people)

    def _county_congress(self) -> list[int]:
        parent = self.station.region.parent_id
        return list(Congress.objects.filter(region_id=parent or 0).values_list("pk", flat=True))

    def _group(self) -> DeputyGroup | None:
        mine = GroupMembership.objects.filter(person=self.deputy).select_related("group").first()
        if mine is not None:
            return mine.group
        return (
            DeputyGroup.objects.filter(region__path__startswith=self.station.region.path)
            .order_by("pk")
            .first()
        )

    # --- Voters (VOT-1..4) ---------------------------------------------------------------

    def _voters(self) -> list[FixedVoter]:
        voters = []
        for i in range(self.voters):
            village = self.villages[i % len(self.villages)]
            voters.append(
                FixedVoter.objects.create(
                    deputy=self.deputy,
                    year=self.today.year,
                    region=village,
                    name=VOTER_NAMES[i],
                    phone=f"139{self.area[1:]}{i:05d}"[:11],
                    address=f"{village.name}{i % 4 + 1}组{i + 3}号",
                    occupation=OCCUPATIONS[i % len(OCCUPATIONS)],
                )
            )
        self.created += len(voters)
        return voters

    def _contacts(self, voters: list[FixedVoter]) -> None:
        rows = [
            (40, voters[0], ContactMethod.VISIT, "入户走访，了解家中老人就医情况。", "", ""),
            (22, voters[1], ContactMethod.PHONE, "电话联系，询问春耕用水。", "", "协调放水时间"),
            (5, voters[2], ContactMethod.VISIT, "走访了解村道情况。", "村东头道路破损严重", ""),
        ]
        for days, voter, method, content, opinions, help_given in rows:
            contact = VoterContact.objects.create(
                deputy=self.deputy,
                voter=voter,
                contacted_on=self.ago(days),
                method=method,
                content=content,
                opinions=opinions,
                help_given=help_given,
            )
            self.created += 1
            if opinions:
                contact.case = self._file(contact, voter)
                contact.save(update_fields=["case"])

    def _file(self, contact: VoterContact, voter: FixedVoter) -> Case | None:
        """The opinion a voter gave becomes a case of the closed loop (CASE-1)."""
        category = Category.objects.filter(
            region_id__in=[self.station.region_id, self.station.region.parent_id or 0],
            is_active=True,
        ).first()
        if category is None:
            return None
        receipt = case_services.file_case(
            intake=case_services.Intake(
                channel=Case.Channel.VISIT,
                region=voter.region,
                category=category,
                text=contact.opinions,
                station=self.station,
                deputy=self.deputy,
                name=voter.name,
                phone=voter.phone,
                received_at=_at(contact.contacted_on, 16),
                submission_key=f"demo-voter-contact-{self.prefix}",
            )
        )
        self.created += 1
        return receipt.case

    def _callbacks(self, voters: list[FixedVoter]) -> None:
        """The office's sample of this month (VOT-1), three calls made, one waiting."""
        sample = CallbackSample.objects.create(
            region=self.station.region,
            month=self.today.replace(day=1),
            size=min(4, len(voters)),
            seed=f"demo-{self.prefix}-{self.today:%Y%m}",
            created_by=self.office,
        )
        outcomes = [
            (CallbackCall.Outcome.CONFIRMED, CallbackCall.Satisfaction.SATISFIED, "代表经常来。"),
            (CallbackCall.Outcome.CONFIRMED, CallbackCall.Satisfaction.BASICALLY, ""),
            (CallbackCall.Outcome.UNREACHABLE, "", ""),
            (CallbackCall.Outcome.PENDING, "", ""),
        ]
        now = timezone.now()
        CallbackCall.objects.bulk_create(
            CallbackCall(
                sample=sample,
                voter=voter,
                outcome=outcome,
                satisfaction=satisfaction,
                answer=answer,
                called_at=None if outcome == CallbackCall.Outcome.PENDING else now,
                called_by=None if outcome == CallbackCall.Outcome.PENDING else self.office,
            )
            for voter, (outcome, satisfaction, answer) in zip(voters, outcomes, strict=False)
        )
        self.created += 1 + min(4, len(voters))

    def _report_and_deeds(self) -> None:
        VoterReport.objects.create(
            deputy=self.deputy,
            held_on=self.ago(15),
            place=f"{self.villages[0].name}村委会",
            report="向选民报告一年来参加会议、提出建议和联系群众的情况。",
            voters_present=36,
            satisfied=30,
            basically=5,
            dissatisfied=1,
            opinions="希望多组织进村接待。",
        )
        GoodDeed.objects.create(
            deputy=self.deputy,
            done_on=self.ago(35),
            region=self.villages[0],
            title="协调修复村口路灯",
            description="联系供电所和村委会，修复路灯8盏。",
            beneficiaries="全村群众",
            status=GoodDeed.Status.CONFIRMED,
            confirmed_by=self.staff,
            confirmed_at=timezone.now(),
        )
        GoodDeed.objects.create(
            deputy=self.deputy,
            done_on=self.ago(3),
            region=self.villages[-1],
            title="帮助果农联系销路",
            description="联系县城超市收购滞销苹果两千斤。",
            beneficiaries="种植户5户",
        )
        self.created += 3

    def _committee(self) -> None:
        link = (
            CommitteeLink.objects.filter(ends_on__isnull=True)
            .filter(deputy__station_memberships__station__path__startswith=self.station.path)
            .order_by("pk")
            .first()
        )
        if link is None:
            return
        for days, method, content in [
            (50, ContactMethod.MEETING, "座谈了解代表履职中的困难。"),
            (10, ContactMethod.PHONE, "电话征求对常委会工作的意见。"),
        ]:
            CommitteeContact.objects.create(
                link=link, contacted_on=self.ago(days), method=method, content=content
            )
            self.created += 1

    def _excused_post(self) -> None:
        """The duty demo rotates other deputies through the past shifts; the post excused for
        the county's enforcement inspection becomes the demo deputy's (a county deputy), so
        his record shows duty too (DUTY-3, PERF-1). Nothing paid or counted changes."""
        post = (
            Assignment.objects.filter(
                shift__station=self.station,
                shift__date__lt=self.today,
                status=Assignment.Status.EXCUSED,
                role="deputy",
            )
            .exclude(shift__assignments__person=self.deputy)
            .order_by("shift__date", "pk")
            .first()
        )
        if (
            post is not None
            and not Assignment.objects.filter(
                person=self.deputy, shift__date__lt=self.today
            ).exists()
        ):
            post.person = self.deputy
            post.save(update_fields=["person"])


@transaction.atomic
def load() -> int:
    """Loads the activities demo once; returns how many records it made (0 on a second run)."""
    today = timezone.localdate()
    created = 0
    for prefix, area, voters in TOWNS:
        deputy, station = _deputy(prefix), _station(prefix)
        if deputy is None or station is None:
            continue
        if ActivityPlan.objects.filter(station=station, year=today.year).exists():
            continue  # loaded already
        town = _Town(prefix, area, voters, today)
        town.load(deputy, station)
        created += town.created
    return created
