"""Staff pages of the core directory (ORG-2, ORG-3, ORG-4, ORG-11): thin subclasses of the
generic scoped views; every object is looked up within reach (404 otherwise)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import (
    Actor,
    Perm,
    can_edit,
    can_edit_model,
    can_reveal_personal,
    get_in_reach_or_404,
    scope,
)
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.common.fields import mask_value
from lianxin.common.staff_views import Column, ScopedDetailView, ScopedFormView, ScopedListView
from lianxin.common.views import requires
from lianxin.directory import filters, forms, services
from lianxin.directory.models import (
    Body,
    BodyMembership,
    Congress,
    Delegation,
    HandlingUnit,
    Mandate,
    Person,
    Session,
    Station,
    StationMembership,
    StationStaff,
    Term,
    UnitContact,
    WorkPlan,
)
from lianxin.directory.printing import print_links

L = gettext_lazy
PERSONAL_FIELDS = ("phone", "id_number")


# --- Related tables on detail pages ---------------------------------------------------------


@dataclass
class Section:
    """A table of related records on a detail page, already narrowed to reach."""

    title: Any
    headers: list[Any]
    rows: list[tuple[str, list[Any]]]
    add_url: str = ""
    more_url: str = ""
    empty: Any = field(default_factory=lambda: L("暂无记录。"))


def _section(
    actor: Actor,
    title: Any,
    queryset: models.QuerySet[Any],
    headers: list[Any],
    values: Any,
    url_name: str,
    *,
    add: tuple[str, str, int] | None = None,
    limit: int = 200,
) -> Section:
    rows = [
        (reverse(url_name, args=[obj.pk]), values(obj)) for obj in scope(actor, queryset)[:limit]
    ]
    add_url = ""
    if add is not None and can_edit_model(actor, queryset.model):
        name, param, pk = add
        add_url = f"{reverse(name)}?{param}={pk}"
    return Section(title, headers, rows, add_url)


class DirectoryDetailView(ScopedDetailView):
    template_name = "directory/detail.html"

    def sections(self, obj: Any) -> list[Section]:
        return []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["fields"] = [
            (label, (_("是") if value is True else _("否") if value is False else value))
            for label, value in ctx["fields"]
        ]
        ctx["sections"] = self.sections(ctx["object"])
        ctx["public_links"] = _public_links(ctx["object"])
        ctx["print_links"] = print_links(self.actor, ctx["object"])  # ORG-13
        return ctx


def _public_links(obj: Any) -> dict[str, str] | None:
    """A deputy's or station's public page and its QR code for printing (ORG-13)."""
    prefix = {Person: "deputy", Station: "station"}.get(type(obj))
    if prefix is None:
        return None
    key = {"key": obj.public_key}
    return {
        "page": reverse(f"portal:{prefix}", kwargs=key),
        "qr_png": reverse(f"portal:{prefix}_qr_png", kwargs=key),
        "qr_svg": reverse(f"portal:{prefix}_qr_svg", kwargs=key),
    }


class DirectoryFormView(ScopedFormView):
    """Create (``?congress=3`` and the like fill related fields) or edit one record."""

    prefill: list[str] = []

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        for name in self.prefill:
            raw = self.request.GET.get(name, "")
            if raw.isdigit():
                initial[name] = int(raw)
        return initial


def _page_filter(base: Any, *names: str) -> Any:
    """A page's variant of an API filter without the long person lists."""
    meta = type("Meta", (base.Meta,), {"fields": list(names)})
    return type(f"Page{base.__name__}", (base,), {"Meta": meta})


def _d(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else "—"


# --- Congresses, terms, sessions, bodies, work plans (ORG-2) ------------------------------


class CongressList(ScopedListView):
    model = Congress
    title = L("人民代表大会")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("get_level_display", L("级别"), sort="level"),
        Column("region.name", L("行政区划")),
    ]
    search_fields = ["name", "region__name"]
    filterset_class = filters.CongressFilter
    select_related = ["region"]
    default_ordering = ["level", "name"]
    create_url_name = "directory:congress_create"
    detail_url_name = "directory:congress_detail"


class CongressDetail(DirectoryDetailView):
    model = Congress
    fields = ["name", "level", "region"]
    edit_url_name = "directory:congress_edit"
    list_url_name = "directory:congress_list"

    def sections(self, obj: Congress) -> list[Section]:
        a = self.actor
        return [
            _section(
                a,
                L("届次"),
                obj.terms.all(),
                [L("届次"), L("开始日期"), L("结束日期"), L("本届")],
                lambda t: [
                    _("第%(n)s届") % {"n": t.number},
                    _d(t.starts_on),
                    _d(t.ends_on),
                    _("是") if t.is_current else "",
                ],
                "directory:term_detail",
                add=("directory:term_create", "congress", obj.pk),
            ),
            _section(
                a,
                L("会议"),
                Session.objects.filter(term__congress=obj).select_related("term"),
                [L("届次"), L("会次"), L("开始日期"), L("地点")],
                lambda s: [
                    _("第%(n)s届") % {"n": s.term.number},
                    _("第%(n)s次会议") % {"n": s.number},
                    _d(s.starts_on),
                    s.place,
                ],
                "directory:session_detail",
            ),
            _section(
                a,
                L("常委会、专门委员会与工作机构"),
                obj.bodies.all(),
                [L("名称"), L("类型")],
                lambda b: [b.name, b.get_kind_display()],
                "directory:body_detail",
                add=("directory:body_create", "congress", obj.pk),
            ),
            _section(
                a,
                L("年度代表工作计划"),
                obj.work_plans.all(),
                [L("年度"), L("标题"), L("状态")],
                lambda p: [p.year, p.title, p.get_status_display()],
                "directory:workplan_detail",
                add=("directory:workplan_create", "congress", obj.pk),
            ),
        ]


class CongressForm(DirectoryFormView):
    model = Congress
    form_class = forms.CongressForm
    success_url_name = "directory:congress_detail"


class TermList(ScopedListView):
    model = Term
    title = L("届次")
    columns = [
        Column("congress.name", L("人民代表大会")),
        Column("number", L("届次"), sort="number"),
        Column("starts_on", L("开始日期"), sort="starts_on"),
        Column("ends_on", L("结束日期")),
    ]
    search_fields = ["congress__name"]
    filterset_class = filters.TermFilter
    select_related = ["congress"]
    create_url_name = "directory:term_create"
    detail_url_name = "directory:term_detail"


class TermDetail(DirectoryDetailView):
    model = Term
    fields = ["congress", "number", "starts_on", "ends_on", "is_current"]
    edit_url_name = "directory:term_edit"
    list_url_name = "directory:term_list"

    def sections(self, obj: Term) -> list[Section]:
        a = self.actor
        return [
            _section(
                a,
                L("会议"),
                obj.sessions.all(),
                [L("会次"), L("开始日期"), L("结束日期"), L("地点")],
                lambda s: [
                    _("第%(n)s次会议") % {"n": s.number},
                    _d(s.starts_on),
                    _d(s.ends_on),
                    s.place,
                ],
                "directory:session_detail",
                add=("directory:session_create", "term", obj.pk),
            ),
            _section(
                a,
                L("代表团/选区"),
                obj.delegations.all(),
                [L("名称")],
                lambda d: [d.name],
                "directory:delegation_detail",
                add=("directory:delegation_create", "term", obj.pk),
            ),
        ]


class TermForm(DirectoryFormView):
    model = Term
    form_class = forms.TermForm
    prefill = ["congress"]
    success_url_name = "directory:term_detail"


class SessionList(ScopedListView):
    model = Session
    title = L("会议")
    columns = [
        Column("term", L("届次")),
        Column("number", L("会次"), sort="number"),
        Column("starts_on", L("开始日期"), sort="starts_on"),
        Column("place", L("地点")),
    ]
    search_fields = ["term__congress__name", "place"]
    filterset_class = filters.SessionFilter
    select_related = ["term__congress"]
    create_url_name = "directory:session_create"
    detail_url_name = "directory:session_detail"


class SessionDetail(DirectoryDetailView):
    model = Session
    fields = ["term", "number", "starts_on", "ends_on", "place"]
    edit_url_name = "directory:session_edit"
    list_url_name = "directory:session_list"


class SessionForm(DirectoryFormView):
    model = Session
    form_class = forms.SessionForm
    prefill = ["term"]
    success_url_name = "directory:session_detail"


class BodyList(ScopedListView):
    model = Body
    title = L("常委会与机构")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("get_kind_display", L("类型"), sort="kind"),
        Column("congress.name", L("人民代表大会")),
    ]
    search_fields = ["name", "congress__name"]
    filterset_class = filters.BodyFilter
    select_related = ["congress"]
    create_url_name = "directory:body_create"
    detail_url_name = "directory:body_detail"


class BodyDetail(DirectoryDetailView):
    model = Body
    fields = ["congress", "term", "kind", "name", "duties"]
    edit_url_name = "directory:body_edit"
    list_url_name = "directory:body_list"

    def sections(self, obj: Body) -> list[Section]:
        return [
            _section(
                self.actor,
                L("组成人员"),
                obj.memberships.select_related("person"),
                [L("姓名"), L("职务"), L("开始日期"), L("结束日期")],
                lambda m: [m.person.name, m.position, _d(m.starts_on), _d(m.ends_on)],
                "directory:bodymember_detail",
                add=("directory:bodymember_create", "body", obj.pk),
            )
        ]


class BodyForm(DirectoryFormView):
    model = Body
    form_class = forms.BodyForm
    prefill = ["congress"]
    success_url_name = "directory:body_detail"


class BodyMembershipList(ScopedListView):
    model = BodyMembership
    title = L("机构组成人员")
    columns = [
        Column("person.name", L("姓名")),
        Column("body", L("机构")),
        Column("position", L("职务"), sort="position"),
        Column("starts_on", L("开始日期"), sort="starts_on"),
    ]
    search_fields = ["person__name", "body__name", "position"]
    filterset_class = _page_filter(filters.BodyMembershipFilter, "body")
    select_related = ["person", "body__congress"]
    create_url_name = "directory:bodymember_create"
    detail_url_name = "directory:bodymember_detail"


class BodyMembershipDetail(DirectoryDetailView):
    model = BodyMembership
    fields = ["body", "person", "position", "starts_on", "ends_on"]
    edit_url_name = "directory:bodymember_edit"
    list_url_name = "directory:bodymember_list"


class BodyMembershipForm(DirectoryFormView):
    model = BodyMembership
    form_class = forms.BodyMembershipForm
    prefill = ["body", "person"]
    success_url_name = "directory:bodymember_detail"


class WorkPlanList(ScopedListView):
    model = WorkPlan
    title = L("年度代表工作计划")
    columns = [
        Column("title", L("标题"), sort="title"),
        Column("year", L("年度"), sort="year"),
        Column("congress.name", L("人民代表大会")),
        Column("get_status_display", L("状态"), sort="status"),
    ]
    search_fields = ["title", "content"]
    filterset_class = filters.WorkPlanFilter
    select_related = ["congress"]
    default_ordering = ["-year", "pk"]
    create_url_name = "directory:workplan_create"
    detail_url_name = "directory:workplan_detail"


class WorkPlanDetail(DirectoryDetailView):
    model = WorkPlan
    template_name = "directory/workplan_detail.html"
    fields = ["congress", "year", "title", "status", "published_at", "content"]
    edit_url_name = "directory:workplan_edit"
    list_url_name = "directory:workplan_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        plan: WorkPlan = ctx["object"]
        ctx["can_publish"] = plan.status == WorkPlan.Status.DRAFT and ctx["can_edit"]
        return ctx


class WorkPlanForm(DirectoryFormView):
    model = WorkPlan
    form_class = forms.WorkPlanForm
    prefill = ["congress"]
    success_url_name = "directory:workplan_detail"


@require_POST
@requires(Perm.EDIT_DIRECTORY)
def workplan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    plan = get_in_reach_or_404(actor, WorkPlan, pk=pk)
    try:
        services.workplan_publish(actor=actor, plan=plan)
    except NotAllowed as exc:
        raise Http404 from exc
    messages.success(request, _("已公布。"))
    return redirect("directory:workplan_detail", pk=plan.pk)


class DelegationList(ScopedListView):
    model = Delegation
    title = L("代表团/选区")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("term", L("届次")),
        Column("region.name", L("区域")),
    ]
    search_fields = ["name"]
    filterset_class = filters.DelegationFilter
    select_related = ["term__congress", "region"]
    create_url_name = "directory:delegation_create"
    detail_url_name = "directory:delegation_detail"


class DelegationDetail(DirectoryDetailView):
    model = Delegation
    fields = ["term", "name", "region"]
    edit_url_name = "directory:delegation_edit"
    list_url_name = "directory:delegation_list"

    def sections(self, obj: Delegation) -> list[Section]:
        return [
            _section(
                self.actor,
                L("代表"),
                obj.mandates.select_related("person"),
                [L("姓名"), L("身份"), L("状态")],
                lambda m: [m.person.name, m.get_kind_display(), m.get_status_display()],
                "directory:mandate_detail",
            )
        ]


class DelegationForm(DirectoryFormView):
    model = Delegation
    form_class = forms.DelegationForm
    prefill = ["term"]
    success_url_name = "directory:delegation_detail"


# --- Persons and mandates (ORG-3, SEC-2) ----------------------------------------------------


class PersonPageFilter(filters.PersonFilter):
    """The page's 所在地区 offers the regions down to two levels below the actor's own (a
    province office: its counties; a county office: its townships and villages), not every
    village of a province: a select of 12,600 options took about a second to render on every
    load of the province's list (issue 7). The API's filter takes any region in reach."""

    class Meta(filters.PersonFilter.Meta):
        fields = ["status", "level", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignment = self.actor.assignment if self.actor is not None else None
        if assignment is not None and assignment.region_id:
            field = self.form.fields["region"]
            field.queryset = field.queryset.filter(level__lte=assignment.region.level + 2)  # type: ignore[attr-defined,union-attr]


class IdentityColumn(Column):
    """What a person serves as now, e.g. "县人大代表、乡镇人大代表" or "乡镇议政代表"."""

    def value(self, obj: Any) -> Any:
        labels = [
            _("%(level)s%(kind)s")
            % {"level": m.term.congress.get_level_display(), "kind": m.get_kind_display()}
            for m in getattr(obj, "serving", [])
        ]
        # Translators: the separator between the items of a list, "、" in Chinese.
        return _("、").join(dict.fromkeys(labels))


class PersonList(ScopedListView):
    model = Person
    title = L("代表与人员")
    columns = [
        Column("name", L("姓名"), sort="name"),
        Column("get_gender_display", L("性别")),
        IdentityColumn("serving", L("现任")),
        Column("region.name", L("所在地区")),
        Column("work_unit", L("工作单位"), sort="work_unit"),
        Column("title", L("职务")),
    ]
    search_fields = ["name", "work_unit", "title", "specialties"]
    filterset_class = PersonPageFilter
    select_related = ["region"]
    default_ordering = ["name", "pk"]
    create_url_name = "directory:person_create"
    detail_url_name = "directory:person_detail"

    def base_queryset(self) -> models.QuerySet[Any]:
        serving = Mandate.objects.filter(status=Mandate.Status.SERVING).select_related(
            "term__congress"
        )
        return (
            super()
            .base_queryset()
            .prefetch_related(Prefetch("mandates", queryset=serving, to_attr="serving"))
        )


class PersonDetail(DirectoryDetailView):
    model = Person
    template_name = "directory/person_detail.html"
    fields = [
        "name",
        "gender",
        "ethnicity",
        "party",
        "birth_year",
        "region",
        "sector",
        "work_unit",
        "title",
        "specialties",
        "public_phone",
        "bio",
    ]
    edit_url_name = "directory:person_edit"
    list_url_name = "directory:person_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        person: Person = ctx["object"]
        ctx["personal"] = personal_rows(self.actor, person)
        # 离任交接 (CASE-12): the office hands over what he is responsible for.
        ctx["can_handover"] = ctx["can_edit"] and self.actor.has(Perm.EDIT_DIRECTORY)
        return ctx

    def _other_mandates(self, obj: Person) -> Section:
        """Serving mandates in congresses outside the actor's reach (a county deputy sitting
        in a township station): public facts, shown without a link (SPEC section 0)."""
        in_reach_ids = scope(self.actor, obj.mandates.all()).values("pk")
        others = (
            obj.mandates.filter(status=Mandate.Status.SERVING)
            .exclude(pk__in=in_reach_ids)
            .select_related("term__congress")
            .order_by("term__congress__level")
        )
        return Section(
            title=L("其他人大的任职（公开信息）"),
            headers=[L("人民代表大会"), L("届次"), L("身份")],
            rows=[
                (
                    "",
                    [
                        m.term.congress.name,
                        _("第%(n)s届") % {"n": m.term.number},
                        m.get_kind_display(),
                    ],
                )
                for m in others
            ],
            empty=L("无。"),
        )

    def sections(self, obj: Person) -> list[Section]:
        from lianxin.directory.views_org import person_sections  # its module imports this one

        a = self.actor
        return [
            _section(
                a,
                L("任职"),
                obj.mandates.select_related("term__congress", "delegation"),
                [L("人民代表大会"), L("届次"), L("身份"), L("状态"), L("任职日期"), L("终止")],
                lambda m: [
                    m.term.congress.name,
                    _("第%(n)s届") % {"n": m.term.number},
                    m.get_kind_display(),
                    m.get_status_display(),
                    _d(m.started_on),
                    f"{_d(m.ended_on)} {m.get_end_reason_display()}" if m.ended_on else "",
                ],
                "directory:mandate_detail",
                add=("directory:mandate_create", "person", obj.pk),
            ),
            self._other_mandates(obj),
            _section(
                a,
                L("进站"),
                obj.station_memberships.select_related("station"),
                [L("联络站"), L("进站方式"), L("进站日期"), L("离站日期")],
                lambda m: [m.station.name, m.get_kind_display(), _d(m.starts_on), _d(m.ends_on)],
                "directory:stationmember_detail",
                add=("directory:stationmember_create", "person", obj.pk),
            ),
            _section(
                a,
                L("联络站职务"),
                obj.station_roles.select_related("station"),
                [L("联络站"), L("职务"), L("派出方")],
                lambda s: [s.station.name, s.get_role_display(), s.get_side_display()],
                "directory:stationstaff_detail",
            ),
            _section(
                a,
                L("机构职务"),
                obj.body_seats.select_related("body__congress"),
                [L("机构"), L("职务")],
                lambda s: [str(s.body), s.position],
                "directory:bodymember_detail",
            ),
            _section(
                a,
                L("承办单位联系人"),
                obj.unit_contacts.select_related("unit"),
                [L("承办单位"), L("职务")],
                lambda c: [c.unit.name, c.position],
                "directory:unitcontact_detail",
            ),
            *person_sections(a, obj),
        ]


def personal_rows(actor: Actor, person: Person) -> list[dict[str, Any]]:
    """The personal fields of a person, masked; the reveal button only for those allowed."""
    may_reveal = can_reveal_personal(actor, person)
    rows = []
    for name in PERSONAL_FIELDS:
        model_field: Any = Person._meta.get_field(name)
        value = getattr(person, name)
        rows.append(
            {
                "field": name,
                "label": model_field.verbose_name,
                "masked": mask_value(value, model_field.mask),
                "can_reveal": may_reveal and bool(value),
            }
        )
    return rows


@never_cache
@require_POST
@requires(Perm.REVEAL_PERSONAL)
def person_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows one personal field in clear (SEC-2); the field is named in the POST body, never
    the URL, and every reveal is logged by the audit service."""
    from lianxin.audit.services import reveal_personal

    actor = request.actor  # type: ignore[attr-defined]
    person = get_in_reach_or_404(actor, Person, pk=pk)
    name = request.POST.get("field", "")
    if name not in PERSONAL_FIELDS:
        raise Http404
    try:
        value = reveal_personal(actor=actor, obj=person, field=name)
    except NotAllowed as exc:
        raise Http404 from exc
    context = {
        "row": {"field": name, "label": Person._meta.get_field(name).verbose_name},  # type: ignore[union-attr]
        "value": value,
        "person": person,
    }
    if request.headers.get("HX-Request"):
        return render(request, "directory/_revealed.html", context)
    return render(request, "directory/revealed_page.html", context)


class PersonForm(DirectoryFormView):
    model = Person
    form_class = forms.PersonForm
    success_url_name = "directory:person_detail"


class MandatePageFilter(filters.MandateFilter):
    class Meta(filters.MandateFilter.Meta):
        fields = ["term", "kind", "status", "level"]


class MandateList(ScopedListView):
    model = Mandate
    title = L("任职")
    columns = [
        Column("person.name", L("姓名"), sort="person__name"),
        Column("term", L("届次")),
        Column("get_kind_display", L("身份"), sort="kind"),
        Column("get_status_display", L("状态"), sort="status"),
        Column("started_on", L("任职日期"), sort="started_on"),
    ]
    search_fields = ["person__name", "electoral_district", "delegation__name"]
    filterset_class = MandatePageFilter
    select_related = ["person", "term__congress"]
    create_url_name = "directory:mandate_create"
    detail_url_name = "directory:mandate_detail"


class MandateDetail(DirectoryDetailView):
    model = Mandate
    template_name = "directory/mandate_detail.html"
    fields = [
        "person",
        "term",
        "kind",
        "delegation",
        "electoral_district",
        "status",
        "started_on",
        "ended_on",
        "end_reason",
        "end_note",
    ]
    edit_url_name = "directory:mandate_edit"
    list_url_name = "directory:mandate_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        mandate: Mandate = ctx["object"]
        ctx["can_end"] = mandate.status == Mandate.Status.SERVING and ctx["can_edit"]
        return ctx


class MandateForm(DirectoryFormView):
    model = Mandate
    form_class = forms.MandateForm
    prefill = ["person", "term", "delegation"]
    success_url_name = "directory:mandate_detail"


@requires(Perm.EDIT_DIRECTORY)
def mandate_end(request: HttpRequest, pk: int) -> HttpResponse:
    """Ends a mandate with its reason and date (ORG-3)."""
    actor = request.actor  # type: ignore[attr-defined]
    mandate = get_in_reach_or_404(
        actor, Mandate.objects.select_related("person", "term__congress"), pk=pk
    )
    if not can_edit(actor, mandate) or mandate.status != Mandate.Status.SERVING:
        raise Http404
    form = forms.MandateEndForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.mandate_end(
                actor=actor,
                mandate=mandate,
                ended_on=data["ended_on"],
                reason=data["reason"],
                note=data["note"],
            )
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(key if key in form.fields else None, error)
        except Conflict as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("已终止该任职。"))
            return redirect("directory:person_detail", pk=mandate.person_id)
    title = _("终止任职：%(m)s") % {"m": mandate}
    detail_url = reverse("directory:mandate_detail", args=[mandate.pk])
    return render(
        request,
        "staff/form.html",
        {
            "form": form,
            "title": title,
            "object": mandate,
            "list_url": reverse("directory:mandate_list"),
            "list_label": _("任职"),
            "detail_url": detail_url,
            "cancel_url": detail_url,
        },
    )


# --- Stations (ORG-4, ORG-5 basic, ORG-7 basic) ---------------------------------------------


class StationPageFilter(filters.StationFilter):
    class Meta(filters.StationFilter.Meta):
        fields = ["kind", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters.pop("under", None)
        self.form.fields.pop("under", None)


class StationList(ScopedListView):
    model = Station
    title = L("联络站")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("get_kind_display", L("类型"), sort="kind"),
        Column("region.name", L("所在区域")),
        Column("parent.name", L("上级站点")),
        Column("opening_hours", L("开放时间")),
    ]
    search_fields = ["name", "address", "industry"]
    filterset_class = StationPageFilter
    select_related = ["region", "parent"]
    default_ordering = ["path"]
    create_url_name = "directory:station_create"
    detail_url_name = "directory:station_detail"


class StationDetail(DirectoryDetailView):
    model = Station
    fields = [
        "name",
        "kind",
        "parent",
        "region",
        "congress",
        "address",
        "opening_hours",
        "phone",
        "industry",
        "enterprises",
        "introduction",
        "is_active",
    ]
    edit_url_name = "directory:station_edit"
    list_url_name = "directory:station_list"

    def sections(self, obj: Station) -> list[Section]:
        a = self.actor
        sections = []
        if obj.parent_id:
            sections.append(
                _section(
                    a,
                    L("上级站点"),
                    Station.objects.filter(pk=obj.parent_id),
                    [L("名称"), L("类型")],
                    lambda s: [s.name, s.get_kind_display()],
                    "directory:station_detail",
                )
            )
        sections += [
            _section(
                a,
                L("下级站点"),
                obj.children.all(),
                [L("名称"), L("类型")],
                lambda s: [s.name, s.get_kind_display()],
                "directory:station_detail",
                add=("directory:station_create", "parent", obj.pk),
            ),
        ]
        from lianxin.directory.views_standards import station_inspection_section

        sections.append(station_inspection_section(a, obj))  # 阵地检查 (ORG-6)
        from lianxin.directory.views_org import station_sections  # its module imports this one

        sections += station_sections(a, obj)
        return sections


class StationForm(DirectoryFormView):
    permission = Perm.EDIT_STATION
    model = Station
    form_class = forms.StationForm
    prefill = ["parent", "region", "congress"]
    success_url_name = "directory:station_detail"


class StationStaffList(ScopedListView):
    model = StationStaff
    title = L("站点工作人员")
    columns = [
        Column("person.name", L("姓名"), sort="person__name"),
        Column("get_role_display", L("职务"), sort="role"),
        Column("get_side_display", L("派出方"), sort="side"),
        Column("station.name", L("联络站")),
        Column("starts_on", L("开始日期"), sort="starts_on"),
        Column("ends_on", L("结束日期")),
    ]
    search_fields = ["person__name", "station__name"]
    filterset_class = _page_filter(filters.StationStaffFilter, "station", "role", "side")
    select_related = ["person", "station"]
    create_url_name = "directory:stationstaff_create"
    detail_url_name = "directory:stationstaff_detail"


class StationStaffDetail(DirectoryDetailView):
    model = StationStaff
    fields = ["station", "person", "role", "side", "starts_on", "ends_on"]
    edit_url_name = "directory:stationstaff_edit"
    list_url_name = "directory:stationstaff_list"


class StationStaffForm(DirectoryFormView):
    permission = Perm.EDIT_STATION
    model = StationStaff
    form_class = forms.StationStaffForm
    prefill = ["station", "person"]
    success_url_name = "directory:stationstaff_detail"


class StationMembershipList(ScopedListView):
    model = StationMembership
    title = L("进站代表")
    columns = [
        Column("person.name", L("姓名"), sort="person__name"),
        Column("station.name", L("联络站")),
        Column("get_kind_display", L("进站方式"), sort="kind"),
        Column("starts_on", L("进站日期"), sort="starts_on"),
        Column("ends_on", L("离站日期")),
    ]
    search_fields = ["person__name", "station__name"]
    filterset_class = _page_filter(filters.StationMembershipFilter, "station", "kind")
    select_related = ["person", "station"]
    create_url_name = "directory:stationmember_create"
    detail_url_name = "directory:stationmember_detail"


class StationMembershipDetail(DirectoryDetailView):
    model = StationMembership
    fields = ["station", "person", "kind", "starts_on", "ends_on"]
    edit_url_name = "directory:stationmember_edit"
    list_url_name = "directory:stationmember_list"


class StationMembershipForm(DirectoryFormView):
    permission = Perm.EDIT_STATION
    model = StationMembership
    form_class = forms.StationMembershipForm
    prefill = ["station", "person"]
    success_url_name = "directory:stationmember_detail"


# --- Handling units (ORG-11) ----------------------------------------------------------------


class UnitList(ScopedListView):
    model = HandlingUnit
    title = L("承办单位")
    columns = [
        Column("name", L("名称"), sort="name"),
        Column("get_kind_display", L("类型"), sort="kind"),
        Column("parent.name", L("上级单位")),
        Column("region.name", L("所在区域")),
        Column("phone", L("办公电话")),
    ]
    search_fields = ["name", "short_name", "duties"]
    filterset_class = filters.HandlingUnitFilter
    select_related = ["region", "parent"]
    default_ordering = ["path"]
    create_url_name = "directory:unit_create"
    detail_url_name = "directory:unit_detail"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        if ctx["filterset"] is not None:
            ctx["filterset"].form.fields.pop("parent", None)
        return ctx


class UnitDetail(DirectoryDetailView):
    model = HandlingUnit
    fields = ["name", "short_name", "kind", "parent", "region", "address", "phone", "duties"]
    edit_url_name = "directory:unit_edit"
    list_url_name = "directory:unit_list"

    def sections(self, obj: HandlingUnit) -> list[Section]:
        a = self.actor
        return [
            _section(
                a,
                L("下级单位"),
                obj.children.all(),
                [L("名称"), L("类型")],
                lambda u: [u.name, u.get_kind_display()],
                "directory:unit_detail",
                add=("directory:unit_create", "parent", obj.pk),
            ),
            _section(
                a,
                L("联系人"),
                obj.contacts.select_related("person"),
                [L("姓名"), L("职务"), L("主要联系人")],
                lambda c: [c.person.name, c.position, _("是") if c.is_primary else ""],
                "directory:unitcontact_detail",
                add=("directory:unitcontact_create", "unit", obj.pk),
            ),
        ]


class UnitForm(DirectoryFormView):
    model = HandlingUnit
    form_class = forms.HandlingUnitForm
    prefill = ["parent", "region"]
    success_url_name = "directory:unit_detail"


class UnitContactList(ScopedListView):
    model = UnitContact
    title = L("单位联系人")
    columns = [
        Column("person.name", L("姓名"), sort="person__name"),
        Column("unit.name", L("承办单位")),
        Column("position", L("职务")),
    ]
    search_fields = ["person__name", "unit__name"]
    filterset_class = _page_filter(filters.UnitContactFilter, "unit", "is_primary")
    select_related = ["person", "unit"]
    create_url_name = "directory:unitcontact_create"
    detail_url_name = "directory:unitcontact_detail"


class UnitContactDetail(DirectoryDetailView):
    model = UnitContact
    fields = ["unit", "person", "position", "is_primary"]
    edit_url_name = "directory:unitcontact_edit"
    list_url_name = "directory:unitcontact_list"


class UnitContactForm(DirectoryFormView):
    model = UnitContact
    form_class = forms.UnitContactForm
    prefill = ["unit", "person"]
    success_url_name = "directory:unitcontact_detail"
