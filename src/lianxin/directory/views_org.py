"""Staff pages of the organisation records: deputy groups (ORG-8), grids (ORG-9), standing
committee links and their coverage (ORG-10), the expert pool (ORG-12), and the sections they add
to station and person pages (ORG-5, ORG-7). Thin subclasses of the generic scoped views; the
rules are the models' ``clean`` and the actor rules run by ``save_record``/``save_instance``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianxin.accounts.permissions import (
    Actor,
    Perm,
    can_edit,
    can_edit_model,
    get_in_reach_or_404,
    scope,
)
from lianxin.common.services import save_instance
from lianxin.common.staff_views import Column, ScopedListView
from lianxin.common.views import requires
from lianxin.directory import filters_org, forms_org
from lianxin.directory.models import (
    Body,
    BodyMembership,
    CommitteeLink,
    Congress,
    DeputyGroup,
    Expert,
    ExpertAssignment,
    ExpertContribution,
    Grid,
    GridMember,
    GroupMembership,
    Mandate,
    Person,
    Station,
    StationMembership,
    StationStaff,
)
from lianxin.directory.views import (
    DirectoryDetailView,
    DirectoryFormView,
    Section,
    _d,
    _page_filter,
    _section,
)

L = gettext_lazy


# --- Shared helpers -----------------------------------------------------------------------


def levels_of(person_ids: Iterable[int]) -> dict[int, str]:
    """Each person's serving levels, e.g. "市、乡镇" — public facts, one query (ORG-8)."""
    found: dict[int, list[int]] = defaultdict(list)
    rows = (
        Mandate.objects.filter(person_id__in=set(person_ids), status=Mandate.Status.SERVING)
        .values_list("person_id", "term__congress__level")
        .order_by("term__congress__level")
    )
    for person_id, level in rows:
        if level not in found[person_id]:
            found[person_id].append(level)
    labels = dict(Congress.Level.choices)
    # Translators: the separator between the items of a list, "、" in Chinese.
    sep = _("、")
    return {pk: sep.join(str(labels[lv]) for lv in lvs) for pk, lvs in found.items()}


def _open(record: Any) -> str:
    return _("在任") if record.ends_on is None else _("已结束 %(d)s") % {"d": _d(record.ends_on)}


class OrgDetailView(DirectoryDetailView):
    """A detail page whose record can be ended (``end_url_name``) rather than deleted."""

    template_name = "directory/org_detail.html"
    end_url_name: str | None = None
    back: tuple[str, str, Any] | None = None  # (url name, attribute, label) of the parent

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        obj = ctx["object"]
        ctx["can_end"] = bool(
            self.end_url_name and getattr(obj, "ends_on", "") is None and ctx["can_edit"]
        )
        ctx["end_url"] = reverse(self.end_url_name, args=[obj.pk]) if self.end_url_name else ""
        if self.back is not None:
            name, attr, label = self.back
            ctx["back_url"] = reverse(name, args=[getattr(obj, attr)])
            ctx["back_label"] = label
        return ctx


def _end_view(
    model: type[models.Model], perm: Perm, back: Callable[[Any], str]
) -> Callable[[HttpRequest, int], HttpResponse]:
    """POST: ends one membership (its ``ends_on``, today unless given); never deletes."""

    @requires(perm)
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        actor: Actor = request.actor  # type: ignore[attr-defined]
        record: Any = get_in_reach_or_404(actor, model, pk=pk)
        if not can_edit(actor, record) or record.ends_on is not None:
            raise Http404
        form = forms_org.EndForm(request.POST)
        ends_on = (form.cleaned_data["ends_on"] if form.is_valid() else None) or (
            timezone.localdate()
        )
        record.ends_on = ends_on
        try:
            save_instance(actor=actor, instance=record)
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("已结束。记录保留在历史中。"))
        return redirect(back(record))

    view.__name__ = f"{model.__name__.lower()}_end"
    return view


def _blank_section(
    actor: Actor, title: Any, model: type[models.Model], add: tuple[str, str, int] | None
) -> Section:
    """A section whose rows the caller fills, with the 新增 link when the actor may add."""
    add_url = ""
    if add is not None and can_edit_model(actor, model):
        name, param, pk = add
        add_url = f"{reverse(name)}?{param}={pk}"
    return Section(title, [], [], add_url)


def _members_section(
    actor: Actor,
    title: Any,
    queryset: models.QuerySet[Any],
    role_of: Callable[[Any], str],
    url_name: str,
    add: tuple[str, str, int] | None,
) -> Section:
    """Members with their levels (a mixed group shows deputies of several levels)."""
    records = list(scope(actor, queryset.select_related("person"))[:500])
    levels = levels_of(r.person_id for r in records)
    section = _blank_section(actor, title, queryset.model, add)
    section.headers = [L("姓名"), L("身份"), L("代表级别"), L("开始日期"), L("状态")]
    section.rows = [
        (
            reverse(url_name, args=[r.pk]),
            [
                r.person.name,
                role_of(r),
                levels.get(r.person_id, ""),
                _d(r.starts_on),
                _open(r),
            ],
        )
        for r in records
    ]
    return section


# --- Deputy groups (ORG-8) ----------------------------------------------------------------


class MemberCountColumn(Column):
    def value(self, obj: Any) -> Any:
        return getattr(obj, "open_members", 0)


class DeputyGroupList(ScopedListView):
    model = DeputyGroup
    title = L("代表小组")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("get_kind_display", L("类型"), sort="kind"),
        Column("region.name", L("所在区域")),
        Column("congress.name", L("组建人大")),
        Column("mixed_levels", L("混合编组"), sort="mixed_levels"),
        MemberCountColumn("open_members", L("成员数")),
        Column("is_active", L("启用")),
    ]
    search_fields = ["name", "field"]
    filterset_class = _page_filter(
        filters_org.DeputyGroupFilter, "kind", "region", "congress", "mixed_levels", "is_active"
    )
    select_related = ["region", "congress"]
    default_ordering = ["region__path", "name"]
    create_url_name = "directory:group_create"
    detail_url_name = "directory:group_detail"

    def base_queryset(self) -> models.QuerySet[Any]:
        return (
            super()
            .base_queryset()
            .annotate(
                open_members=Count("memberships", filter=Q(memberships__ends_on__isnull=True))
            )
        )


class DeputyGroupDetail(OrgDetailView):
    model = DeputyGroup
    fields = [
        "name",
        "kind",
        "congress",
        "region",
        "mixed_levels",
        "field",
        "station",
        "description",
        "is_active",
    ]
    edit_url_name = "directory:group_edit"
    list_url_name = "directory:group_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        group: DeputyGroup = ctx["object"]
        leader = (
            group.memberships.filter(position=GroupMembership.Position.LEADER, ends_on__isnull=True)
            .select_related("person")
            .first()
        )
        ctx["fields"].insert(1, (_("组长"), leader.person.name if leader else _("未设组长")))
        return ctx

    def sections(self, obj: DeputyGroup) -> list[Section]:
        members = obj.memberships.order_by(
            models.F("ends_on").desc(nulls_first=True), "position", "person__name"
        )
        return [
            _members_section(
                self.actor,
                L("小组成员"),
                members,
                lambda m: m.get_position_display(),
                "directory:groupmember_detail",
                ("directory:groupmember_create", "group", obj.pk),
            )
        ]


class DeputyGroupForm(DirectoryFormView):
    model = DeputyGroup
    form_class = forms_org.DeputyGroupForm
    prefill = ["congress", "region", "station"]
    success_url_name = "directory:group_detail"


class GroupMembershipList(ScopedListView):
    model = GroupMembership
    title = L("小组成员")
    columns = [
        Column("person.name", L("姓名"), sort="person__name"),
        Column("group.name", L("代表小组")),
        Column("get_position_display", L("职务"), sort="position"),
        Column("starts_on", L("开始日期"), sort="starts_on"),
        Column("ends_on", L("结束日期")),
    ]
    search_fields = ["person__name", "group__name"]
    filterset_class = _page_filter(filters_org.GroupMembershipFilter, "group", "position")
    select_related = ["person", "group"]
    create_url_name = "directory:groupmember_create"
    detail_url_name = "directory:groupmember_detail"


class GroupMembershipDetail(OrgDetailView):
    model = GroupMembership
    fields = ["group", "person", "position", "starts_on", "ends_on"]
    edit_url_name = "directory:groupmember_edit"
    list_url_name = "directory:groupmember_list"
    end_url_name = "directory:groupmember_end"
    back = ("directory:group_detail", "group_id", L("返回小组"))


class GroupMembershipForm(DirectoryFormView):
    model = GroupMembership
    form_class = forms_org.GroupMembershipForm
    prefill = ["group", "person"]
    success_url_name = "directory:groupmember_detail"

    def success_url_for(self, obj: models.Model) -> str:
        return reverse("directory:group_detail", args=[obj.group_id])  # type: ignore[attr-defined]


groupmember_end = _end_view(
    GroupMembership,
    Perm.EDIT_DIRECTORY,
    lambda m: reverse("directory:group_detail", args=[m.group_id]),
)


# --- Grids (ORG-9) ------------------------------------------------------------------------


class GridList(ScopedListView):
    model = Grid
    title = L("网格")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("region.name", L("所在区域")),
        Column("station.name", L("联络站")),
        Column("households", L("户数"), sort="households"),
        MemberCountColumn("open_members", L("人员数")),
        Column("is_active", L("启用")),
    ]
    search_fields = ["name", "boundary"]
    filterset_class = _page_filter(filters_org.GridFilter, "region", "station", "is_active")
    select_related = ["region", "station"]
    default_ordering = ["region__path", "name"]
    create_url_name = "directory:grid_create"
    detail_url_name = "directory:grid_detail"

    def base_queryset(self) -> models.QuerySet[Any]:
        return (
            super()
            .base_queryset()
            .annotate(open_members=Count("members", filter=Q(members__ends_on__isnull=True)))
        )


class GridDetail(OrgDetailView):
    model = Grid
    fields = ["name", "region", "station", "boundary", "households", "is_active"]
    edit_url_name = "directory:grid_edit"
    list_url_name = "directory:grid_list"

    def sections(self, obj: Grid) -> list[Section]:
        members = obj.members.order_by(
            models.F("ends_on").desc(nulls_first=True), "role", "person__name"
        )
        return [
            _members_section(
                self.actor,
                L("网格长、网格员和联系代表"),
                members,
                lambda m: m.get_role_display(),
                "directory:gridmember_detail",
                ("directory:gridmember_create", "grid", obj.pk),
            )
        ]


class GridForm(DirectoryFormView):
    permission = Perm.EDIT_STATION
    model = Grid
    form_class = forms_org.GridForm
    prefill = ["region", "station"]
    success_url_name = "directory:grid_detail"


class GridMemberList(ScopedListView):
    model = GridMember
    title = L("网格人员")
    columns = [
        Column("person.name", L("姓名"), sort="person__name"),
        Column("grid.name", L("网格")),
        Column("get_role_display", L("身份"), sort="role"),
        Column("starts_on", L("开始日期"), sort="starts_on"),
        Column("ends_on", L("结束日期")),
    ]
    search_fields = ["person__name", "grid__name"]
    filterset_class = _page_filter(filters_org.GridMemberFilter, "grid", "role")
    select_related = ["person", "grid"]
    create_url_name = "directory:gridmember_create"
    detail_url_name = "directory:gridmember_detail"


class GridMemberDetail(OrgDetailView):
    model = GridMember
    fields = ["grid", "person", "role", "starts_on", "ends_on"]
    edit_url_name = "directory:gridmember_edit"
    list_url_name = "directory:gridmember_list"
    end_url_name = "directory:gridmember_end"
    back = ("directory:grid_detail", "grid_id", L("返回网格"))


class GridMemberForm(DirectoryFormView):
    permission = Perm.EDIT_STATION
    model = GridMember
    form_class = forms_org.GridMemberForm
    prefill = ["grid", "person"]
    success_url_name = "directory:gridmember_detail"

    def success_url_for(self, obj: models.Model) -> str:
        return reverse("directory:grid_detail", args=[obj.grid_id])  # type: ignore[attr-defined]


gridmember_end = _end_view(
    GridMember, Perm.EDIT_STATION, lambda m: reverse("directory:grid_detail", args=[m.grid_id])
)


# --- Standing committee members linking deputies (ORG-10) -----------------------------------


class CommitteeLinkList(ScopedListView):
    model = CommitteeLink
    title = L("常委会组成人员联系代表")
    columns = [
        Column("member.name", L("常委会组成人员"), sort="member__name"),
        Column("deputy.name", L("联系代表"), sort="deputy__name"),
        Column("congress.name", L("人民代表大会")),
        Column("starts_on", L("开始日期"), sort="starts_on"),
        Column("ends_on", L("结束日期")),
    ]
    search_fields = ["member__name", "deputy__name"]
    filterset_class = _page_filter(filters_org.CommitteeLinkFilter, "congress", "open")
    select_related = ["member", "deputy", "congress"]
    create_url_name = "directory:link_create"
    detail_url_name = "directory:link_detail"

    def list_actions(self) -> list[tuple[str, str]]:
        congresses = scope(
            self.actor, Congress.objects.filter(bodies__kind=Body.Kind.STANDING_COMMITTEE)
        )
        return [
            (
                _("联系覆盖情况：%(c)s") % {"c": c.name},
                reverse("directory:link_coverage", args=[c.pk]),
            )
            for c in congresses.distinct()[:5]
        ] + super().list_actions()


class CommitteeLinkDetail(OrgDetailView):
    model = CommitteeLink
    fields = ["congress", "member", "deputy", "starts_on", "ends_on"]
    edit_url_name = "directory:link_edit"
    list_url_name = "directory:link_list"
    end_url_name = "directory:link_end"
    back = ("directory:link_coverage", "congress_id", L("联系覆盖情况"))


class CommitteeLinkForm(DirectoryFormView):
    model = CommitteeLink
    form_class = forms_org.CommitteeLinkForm
    prefill = ["congress", "member", "deputy"]
    success_url_name = "directory:link_detail"


link_end = _end_view(
    CommitteeLink,
    Perm.EDIT_DIRECTORY,
    lambda link: reverse("directory:link_coverage", args=[link.congress_id]),
)


@requires(Perm.VIEW_DIRECTORY)
def link_coverage(request: HttpRequest, pk: int) -> HttpResponse:
    """ORG-10 coverage: each standing committee member of a congress, the number of deputies he
    links now, flagged outside settings.LIANXIN_LINKS_PER_MEMBER (4–6 by default)."""
    actor: Actor = request.actor  # type: ignore[attr-defined]
    congress = get_in_reach_or_404(actor, Congress, pk=pk)
    low, high = settings.LIANXIN_LINKS_PER_MEMBER
    seats = scope(
        actor,
        BodyMembership.objects.filter(
            body__congress=congress,
            body__kind=Body.Kind.STANDING_COMMITTEE,
            ends_on__isnull=True,
        ).select_related("person"),
    ).order_by("person__name", "pk")
    links = scope(actor, CommitteeLink.objects.filter(congress=congress, ends_on__isnull=True))
    counts: dict[int, int] = defaultdict(int)
    names: dict[int, list[str]] = defaultdict(list)
    for member_id, deputy_name in links.values_list("member_id", "deputy__name"):
        counts[member_id] += 1
        names[member_id].append(deputy_name)
    rows, seen = [], set()
    for seat in seats:
        if seat.person_id in seen:
            continue
        seen.add(seat.person_id)
        n = counts.get(seat.person_id, 0)
        rows.append(
            {
                "member": seat.person,
                "position": seat.position,
                "count": n,
                "deputies": _("、").join(sorted(names.get(seat.person_id, []))),
                "flag": _("不足%(n)s名") % {"n": low}
                if n < low
                else (_("超过%(n)s名") % {"n": high} if n > high else ""),
                "add_url": f"{reverse('directory:link_create')}?congress={congress.pk}"
                f"&member={seat.person_id}",
            }
        )
    return render(
        request,
        "directory/link_coverage.html",
        {
            "title": _("%(c)s常委会组成人员联系代表情况") % {"c": congress.name},
            "congress": congress,
            "rows": rows,
            "low": low,
            "high": high,
            "flagged": sum(1 for r in rows if r["flag"]),
            "can_add": can_edit_model(actor, CommitteeLink),
            "list_url": reverse("directory:link_list"),
        },
    )


# --- Expert pool (ORG-12) -----------------------------------------------------------------


class ExpertList(ScopedListView):
    model = Expert
    title = L("专家库")
    columns = [
        Column("person.name", L("姓名"), sort="person__name"),
        Column("get_field_display", L("专业领域"), sort="field"),
        Column("organisation", L("工作单位")),
        Column("qualification", L("职称或执业资格")),
        Column("region.name", L("所属区域")),
        Column("is_active", L("在库")),
    ]
    search_fields = ["person__name", "organisation", "expertise", "qualification"]
    filterset_class = filters_org.ExpertFilter
    select_related = ["person", "region"]
    default_ordering = ["field", "person__name"]
    create_url_name = "directory:expert_create"
    detail_url_name = "directory:expert_detail"


class ExpertDetail(OrgDetailView):
    """The expert's phone is the person's protected field: never shown here (SEC-2)."""

    model = Expert
    fields = [
        "person",
        "field",
        "region",
        "organisation",
        "qualification",
        "expertise",
        "is_active",
    ]
    edit_url_name = "directory:expert_edit"
    list_url_name = "directory:expert_list"

    def sections(self, obj: Expert) -> list[Section]:
        a = self.actor
        return [
            _section(
                a,
                L("派驻联络站"),
                obj.assignments.select_related("station"),
                [L("联络站"), L("开始日期"), L("状态")],
                lambda s: [s.station.name, _d(s.starts_on), _open(s)],
                "directory:expertassignment_detail",
                add=("directory:expertassignment_create", "expert", obj.pk),
            ),
            _section(
                a,
                L("履职记录"),
                obj.contributions.select_related("station"),
                [L("日期"), L("类型"), L("联络站"), L("服务人次"), L("内容")],
                lambda c: [
                    _d(c.happened_on),
                    c.get_kind_display(),
                    c.station.name if c.station else "",
                    c.people_served,
                    c.summary[:60],
                ],
                "directory:expertcontribution_detail",
                add=("directory:expertcontribution_create", "expert", obj.pk),
            ),
        ]


class ExpertForm(DirectoryFormView):
    model = Expert
    form_class = forms_org.ExpertForm
    prefill = ["person", "region"]
    success_url_name = "directory:expert_detail"


class ExpertAssignmentList(ScopedListView):
    model = ExpertAssignment
    title = L("专家进站")
    columns = [
        Column("expert.person.name", L("专家")),
        Column("station.name", L("联络站")),
        Column("starts_on", L("开始日期"), sort="starts_on"),
        Column("ends_on", L("结束日期")),
    ]
    search_fields = ["expert__person__name", "station__name"]
    filterset_class = filters_org.ExpertAssignmentFilter
    select_related = ["expert__person", "station"]
    create_url_name = "directory:expertassignment_create"
    detail_url_name = "directory:expertassignment_detail"


class ExpertAssignmentDetail(OrgDetailView):
    model = ExpertAssignment
    fields = ["expert", "station", "starts_on", "ends_on"]
    edit_url_name = "directory:expertassignment_edit"
    list_url_name = "directory:expertassignment_list"
    end_url_name = "directory:expertassignment_end"
    back = ("directory:expert_detail", "expert_id", L("返回专家"))


class ExpertAssignmentForm(DirectoryFormView):
    permission = Perm.EDIT_STATION
    model = ExpertAssignment
    form_class = forms_org.ExpertAssignmentForm
    prefill = ["expert", "station"]
    success_url_name = "directory:expertassignment_detail"


expertassignment_end = _end_view(
    ExpertAssignment,
    Perm.EDIT_STATION,
    lambda s: reverse("directory:expert_detail", args=[s.expert_id]),
)


class ExpertContributionList(ScopedListView):
    model = ExpertContribution
    title = L("专家履职记录")
    columns = [
        Column("happened_on", L("日期"), sort="happened_on"),
        Column("expert.person.name", L("专家")),
        Column("get_kind_display", L("类型"), sort="kind"),
        Column("station.name", L("联络站")),
        Column("people_served", L("服务人次")),
    ]
    search_fields = ["expert__person__name", "summary"]
    filterset_class = filters_org.ExpertContributionFilter
    select_related = ["expert__person", "station"]
    default_ordering = ["-happened_on", "-pk"]
    create_url_name = "directory:expertcontribution_create"
    detail_url_name = "directory:expertcontribution_detail"


class ExpertContributionDetail(OrgDetailView):
    model = ExpertContribution
    fields = ["expert", "station", "kind", "happened_on", "people_served", "summary"]
    edit_url_name = "directory:expertcontribution_edit"
    list_url_name = "directory:expertcontribution_list"
    back = ("directory:expert_detail", "expert_id", L("返回专家"))


class ExpertContributionForm(DirectoryFormView):
    permission = Perm.EDIT_STATION
    model = ExpertContribution
    form_class = forms_org.ExpertContributionForm
    prefill = ["expert", "station"]
    success_url_name = "directory:expertcontribution_detail"


# --- Sections on station and person pages (ORG-5, ORG-7) ------------------------------------

_STAFF_GROUPS: list[tuple[Any, frozenset[str]]] = [
    (L("站长、副站长"), frozenset({StationStaff.Role.HEAD, StationStaff.Role.DEPUTY_HEAD})),
    (L("联络员"), frozenset({StationStaff.Role.LIAISON})),
    (
        L("特邀指导员、法律顾问和立法顾问"),
        frozenset(
            {
                StationStaff.Role.SPECIAL_ADVISER,
                StationStaff.Role.LEGAL_ADVISER,
                StationStaff.Role.LEGISLATIVE_ADVISER,
            }
        ),
    ),
    (L("直报员、信息采集员"), StationStaff.LEGISLATIVE_ONLY),
]


def station_sections(actor: Actor, station: Station) -> list[Section]:
    """A station's staff grouped by what they do (with the 双站长 side), its deputies with
    their levels and how they sit (属地/双进站), its grids, groups and experts."""
    staff = list(
        scope(actor, station.staff.select_related("person")).order_by(
            models.F("ends_on").desc(nulls_first=True), "role", "side", "person__name"
        )
    )
    add = ("directory:stationstaff_create", "station", station.pk)
    sections = []
    for title, roles in _STAFF_GROUPS:
        if roles == StationStaff.LEGISLATIVE_ONLY and station.kind != Station.Kind.LEGISLATIVE:
            continue
        section = _blank_section(actor, title, StationStaff, add)
        section.headers = [L("姓名"), L("职务"), L("派出方"), L("开始日期"), L("状态")]
        section.rows = [
            (
                reverse("directory:stationstaff_detail", args=[s.pk]),
                [
                    s.person.name,
                    s.get_role_display(),
                    s.get_side_display(),
                    _d(s.starts_on),
                    _open(s),
                ],
            )
            for s in staff
            if s.role in roles
        ]
        sections.append(section)
    memberships = list(
        scope(actor, station.memberships.select_related("person")).order_by(
            models.F("ends_on").desc(nulls_first=True), "kind", "person__name"
        )[:500]
    )
    levels = levels_of(m.person_id for m in memberships)
    deputies = _blank_section(
        actor,
        L("进站代表"),
        StationMembership,
        ("directory:stationmember_create", "station", station.pk),
    )
    deputies.headers = [L("姓名"), L("代表级别"), L("进站方式"), L("进站日期"), L("状态")]
    deputies.rows = [
        (
            reverse("directory:stationmember_detail", args=[m.pk]),
            [
                m.person.name,
                levels.get(m.person_id, ""),
                m.get_kind_display(),
                _d(m.starts_on),
                _open(m),
            ],
        )
        for m in memberships
    ]
    sections.append(deputies)
    sections += [
        _section(
            actor,
            L("网格"),
            station.grids.select_related("region"),
            [L("名称"), L("所在区域"), L("户数")],
            lambda g: [g.name, g.region.name, g.households],
            "directory:grid_detail",
            add=("directory:grid_create", "station", station.pk),
        ),
        _section(
            actor,
            L("在此活动的代表小组"),
            station.deputy_groups.all(),
            [L("名称"), L("类型"), L("混合编组")],
            lambda g: [g.name, g.get_kind_display(), _("是") if g.mixed_levels else ""],
            "directory:group_detail",
            add=("directory:group_create", "station", station.pk),
        ),
        _section(
            actor,
            L("派驻专家"),
            station.experts.select_related("expert__person"),
            [L("专家"), L("专业领域"), L("开始日期"), L("状态")],
            lambda s: [
                s.expert.person.name,
                s.expert.get_field_display(),
                _d(s.starts_on),
                _open(s),
            ],
            "directory:expertassignment_detail",
            add=("directory:expertassignment_create", "station", station.pk),
        ),
    ]
    return sections


def person_sections(actor: Actor, person: Person) -> list[Section]:
    """His groups, grids, standing committee links and expert entries (ORG-8..10, ORG-12).
    Groups and grids always show (with 新增); links and the expert pool only when he has some,
    so that a deputy's page stays short."""
    sections = [
        _section(
            actor,
            L("代表小组"),
            person.group_memberships.select_related("group"),
            [L("代表小组"), L("职务"), L("开始日期"), L("状态")],
            lambda m: [m.group.name, m.get_position_display(), _d(m.starts_on), _open(m)],
            "directory:groupmember_detail",
            add=("directory:groupmember_create", "person", person.pk),
        ),
        _section(
            actor,
            L("网格"),
            person.grid_roles.select_related("grid"),
            [L("网格"), L("身份"), L("开始日期"), L("状态")],
            lambda m: [m.grid.name, m.get_role_display(), _d(m.starts_on), _open(m)],
            "directory:gridmember_detail",
            add=("directory:gridmember_create", "person", person.pk),
        ),
        _section(
            actor,
            L("常委会组成人员联系代表"),
            CommitteeLink.objects.filter(Q(member=person) | Q(deputy=person)).select_related(
                "member", "deputy"
            ),
            [L("常委会组成人员"), L("联系代表"), L("开始日期"), L("状态")],
            lambda link: [link.member.name, link.deputy.name, _d(link.starts_on), _open(link)],
            "directory:link_detail",
        ),
        _section(
            actor,
            L("专家库"),
            person.expert_entries.select_related("region"),
            [L("专业领域"), L("所属区域"), L("在库")],
            lambda e: [e.get_field_display(), e.region.name, _("是") if e.is_active else _("否")],
            "directory:expert_detail",
            add=("directory:expert_create", "person", person.pk),
        ),
    ]
    return sections[:2] + [s for s in sections[2:] if s.rows]
