"""Forms of the closed loop's staff and deputy pages (CASE-1..7, CASE-10, CASE-11).

One small form per action of the table (``ACTION_FORMS``); each hands its cleaned data to the
one service of that action (``lianxin.cases.views.perform``). Choices are narrowed to the
actor's reach by ``StaffFormMixin``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import Role
from lianxin.accounts.permissions import Actor, scope
from lianxin.cases.models import Case, Category, DeadlineRule, Procedure, ReplyTemplate
from lianxin.cases.redaction import normalise
from lianxin.cases.workflow import Action
from lianxin.common.forms import StaffForm, StaffModelForm
from lianxin.directory.models import Body, HandlingUnit, Person, Station

YES_NO = [("yes", _("是")), ("no", _("否"))]


def _radio() -> forms.RadioSelect:
    """Radio buttons drawn as Bootstrap's check inputs (not as text boxes)."""
    return forms.RadioSelect(attrs={"class": "form-check-input"})


def _text(label: Any, required: bool = True, rows: int = 3, **kw: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=kw.pop("max_length", 500),
        widget=forms.Textarea(attrs={"rows": rows}),
        **kw,
    )


class NoteForm(StaffForm):
    note = _text(_("说明"), required=False, rows=2)


class EmptyForm(StaffForm):
    pass


class ExplanationForm(StaffForm):
    explanation = _text(_("向群众的说明"), help_text=_("群众在查询页面看到这段说明。"))


class ReasonForm(StaffForm):
    reason = _text(_("理由"))


class MergeForm(StaffForm):
    into = forms.CharField(
        label=_("合并到（意见编号）"),
        max_length=32,
        help_text=_("输入或从列表中选择同类的办理中意见编号。"),
    )
    note = _text(_("说明"), required=False, rows=2)

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["into"].widget.attrs["list"] = "lx-merge-targets"

    def candidates(self) -> list[Case]:
        """Open cases within reach the case could join: the same category first."""
        if self.actor is None or self.case is None:
            return []
        qs = (
            scope(self.actor, Case.objects.all())
            .exclude(status__in=[*TERMINAL, Case.Status.MERGED])
            .exclude(pk=self.case.pk)
            .select_related("category")
        )
        same = list(qs.filter(category_id=self.case.category_id).order_by("-received_at")[:30])
        return same

    def clean_into(self) -> Case:
        number = self.cleaned_data["into"].strip()
        assert self.actor is not None
        target = scope(self.actor, Case.objects.all()).filter(number=number).first()
        if target is None or (self.case is not None and target.pk == self.case.pk):
            raise forms.ValidationError(_("没有找到该编号的意见，请核对。"))
        return target


class ClaimForm(StaffForm):
    body = forms.ModelChoiceField(label=_("认领委室"), queryset=Body.objects.all())


def units_for(actor: Actor, case: Case) -> Any:
    """Handling units the actor may dispatch to: those within his reach; station staff, who
    reach no units, dispatch to the active units of the case's congress region."""
    units = HandlingUnit.objects.filter(is_active=True)
    reached = scope(actor, units)
    if actor.role == Role.STATION:
        path = case.congress.region.path
        return units.filter(Q(pk__in=reached.values("pk")) | Q(region__path__startswith=path))
    return reached


class DispatchForm(StaffForm):
    lead = forms.ModelChoiceField(label=_("主办单位"), queryset=HandlingUnit.objects.none())
    co = forms.ModelMultipleChoiceField(
        label=_("协办单位"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        help_text=_("可多选；按住 Ctrl 键选择多个。"),
    )
    note = _text(_("交办意见"), required=False, rows=2)

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        actor = kwargs.get("actor")
        super().__init__(*args, **kwargs)
        if actor is not None and case is not None:
            units = units_for(actor, case).order_by("path")
            self.fields["lead"].queryset = units  # type: ignore[attr-defined]
            self.fields["co"].queryset = units  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lead, co = data.get("lead"), data.get("co") or []
        if lead is not None:
            data["co"] = [u for u in co if u.pk != lead.pk]
        return data


class ExtensionForm(StaffForm):
    days = forms.IntegerField(label=_("延期天数"), min_value=1, max_value=90)
    reason = _text(_("延期理由"))


class DecideExtensionForm(StaffForm):
    approve = forms.ChoiceField(
        label=_("审批结果"),
        choices=[("yes", _("同意延期")), ("no", _("不同意"))],
        widget=_radio(),
    )
    note = _text(_("说明"), required=False, rows=2)


class ReplyForm(StaffForm):
    """答复 (CASE-5): the text (pre-filled from the office's templates for the case's category
    on request), whether solved, and — when the answer was given in person at a station
    (局长进站, 站点问政) — how, when, where and by whom."""

    template = forms.ChoiceField(
        label=_("答复模板"),
        required=False,
        help_text=_("选择人大机关设定的模板后点“套用模板”，再按实际情况修改。"),
    )
    text = _text(_("办理情况"), rows=5, max_length=2000, help_text=_("写明办理结果和采取的措施。"))
    solved = forms.ChoiceField(label=_("问题是否已解决"), choices=YES_NO, widget=_radio())
    in_person = forms.ChoiceField(
        label=_("当面答复"),
        required=False,
        choices=[("", _("否")), *Case.InPerson.choices],
        help_text=_("承办单位负责人到联络站当面答复群众的（局长进站、站点问政），请注明。"),
    )
    in_person_on = forms.DateField(label=_("当面答复日期"), required=False, widget=forms.DateInput)
    in_person_station = forms.ModelChoiceField(
        label=_("当面答复站点"), queryset=Station.objects.none(), required=False
    )
    in_person_by = forms.CharField(
        label=_("当面答复人"),
        max_length=100,
        required=False,
        help_text=_("单位和职务，如“县交通运输局局长”。不在群众查询页面显示。"),
    )

    def __init__(
        self,
        *args: Any,
        case: Case | None = None,
        shared: dict[Any, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        """``shared``: a dict that the forms of one page share, so that a list of cases (the
        unit's inbox) reads the templates and stations of a place once, not once a case."""
        super().__init__(*args, **kwargs)
        from lianxin.cases.replies import templates_for

        self.case = case
        shared = {} if shared is None else shared
        self.templates = []
        if case is not None:
            templates_key = ("templates", case.region_id, case.category_id)
            if templates_key not in shared:
                shared[templates_key] = list(templates_for(case))
            self.templates = shared[templates_key]
        choices = [("", _("不使用模板"))] + [(str(t.pk), t.title) for t in self.templates]
        self.fields["template"].choices = choices  # type: ignore[attr-defined]
        if not self.templates:
            del self.fields["template"]
        station = self.fields["in_person_station"]
        if case is not None:
            # The stations of the case's congress: where its units come to answer. Stations
            # are public places (their pages are public), so a unit sees them all.
            station.queryset = Station.objects.filter(  # type: ignore[attr-defined]
                is_active=True, region__path__startswith=case.congress.region.path
            ).order_by("path")
            stations_key = ("stations", case.congress_id)
            if stations_key not in shared:
                shared[stations_key] = [("", station.empty_label)] + [  # type: ignore[attr-defined]
                    (s.pk, str(s))
                    for s in station.queryset  # type: ignore[attr-defined]
                ]
            # The rendered choices come from the shared list; a submitted value is still
            # checked against the queryset.
            station.choices = shared[stations_key]  # type: ignore[attr-defined]
            if case.station_id:
                station.initial = case.station_id

    def filled_template(self) -> str | None:
        """The chosen template's text for this case, or None when none was chosen."""
        from lianxin.cases.replies import fill

        wanted = self.data.get(self.add_prefix("template"), "")
        chosen = next((t for t in self.templates if str(t.pk) == wanted), None)
        if chosen is None or self.case is None:
            return None
        return fill(chosen, self.case)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("in_person"):
            for name, message in (
                ("in_person_on", _("请填写当面答复的日期。")),
                ("in_person_station", _("请选择当面答复的站点。")),
                ("in_person_by", _("请填写当面答复人的单位和职务。")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        return data


def in_person_from(data: dict[str, Any]) -> Any:
    """The in-person answer a valid ReplyForm records, or None (services.InPerson)."""
    from lianxin.cases.services import InPerson

    if not data.get("in_person"):
        return None
    return InPerson(
        kind=data["in_person"],
        on=data["in_person_on"],
        station=data["in_person_station"],
        by=data["in_person_by"],
    )


class ContributeForm(StaffForm):
    """协办意见 (CASE-5): a co-handling unit's part, for the lead unit."""

    text = _text(
        _("协办意见"),
        rows=4,
        max_length=2000,
        help_text=_("写明本单位承担部分的办理情况，供主办单位汇总答复。"),
    )


class RateForm(StaffForm):
    """评单 by phone through staff (CASE-7)."""

    rating = forms.ChoiceField(
        label=_("群众评价"),
        choices=[
            (Case.Rating.SATISFIED, _("满意")),
            (Case.Rating.BASICALLY, _("基本满意")),
            (Case.Rating.DISSATISFIED, _("不满意")),
        ],
        widget=_radio(),
    )
    reason = _text(_("评价理由"), required=False, rows=2, help_text=_("不满意时必填。"))


class VisitForm(StaffForm):
    note = _text(_("回访情况"))


class ReassignForm(StaffForm):
    deputy = forms.ModelChoiceField(
        label=_("接手代表"), queryset=Person.objects.filter(account__isnull=False), required=False
    )
    station = forms.ModelChoiceField(
        label=_("接手联络站"), queryset=Station.objects.filter(is_active=True), required=False
    )
    note = _text(_("说明"), required=False, rows=2)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("deputy") and not data.get("station"):
            raise forms.ValidationError(_("请选择接手的代表或联络站。"))
        return data


TERMINAL = [Case.Status.CLOSED, Case.Status.DECLINED, Case.Status.ARCHIVED]

ACTION_FORMS: dict[str, type[StaffForm]] = {
    Action.CONFIRM: NoteForm,
    Action.RESOLVE_ON_SPOT: ExplanationForm,
    Action.TRIAGE: NoteForm,
    Action.REPORT: NoteForm,
    Action.DECLINE: ExplanationForm,
    Action.MERGE: MergeForm,
    Action.CLAIM: ClaimForm,
    Action.DISPATCH: DispatchForm,
    Action.RETURN: ReasonForm,
    Action.ACCEPT: EmptyForm,
    Action.REQUEST_EXTENSION: ExtensionForm,
    Action.DECIDE_EXTENSION: DecideExtensionForm,
    Action.REPLY: ReplyForm,
    Action.CONTRIBUTE: ContributeForm,
    Action.SEND_BACK: ReasonForm,
    Action.APPROVE_REPLY: NoteForm,
    Action.RATE: RateForm,
    Action.RETURN_VISIT: VisitForm,
    Action.ARCHIVE: EmptyForm,
    Action.REASSIGN: ReassignForm,
}
# Forms that need the case itself (its candidates, its congress's units).
CASE_FORMS = (MergeForm, DispatchForm, ReplyForm)


def action_form(
    action: str,
    actor: Actor,
    case: Case,
    data: Any = None,
    initial: Any = None,
    shared: dict[Any, Any] | None = None,
) -> StaffForm:
    cls = ACTION_FORMS[action]
    kwargs: dict[str, Any] = {"actor": actor, "prefix": action, "initial": initial}
    if cls in CASE_FORMS:
        kwargs["case"] = case
    if cls is ReplyForm and shared is not None:
        kwargs["shared"] = shared
    return cls(data, **kwargs)


# --- Bulk actions on the office's queue -----------------------------------------------------

BULK_ACTIONS = {Action.TRIAGE: Case.Scope.TOWNSHIP, Action.REPORT: Case.Scope.COUNTY}


# --- In-person intake (CASE-1) ---------------------------------------------------------------

IN_PERSON_CHANNELS = [
    Case.Channel.RECEPTION,
    Case.Channel.STALL,
    Case.Channel.FORUM,
    Case.Channel.COUNTER,
    Case.Channel.PHONE,
    Case.Channel.GRID,
    Case.Channel.VISIT,
    Case.Channel.LETTER,
]


class ReceptionForm(StaffForm):
    """One reception: channel, where, when, who received (CASE-1)."""

    channel = forms.ChoiceField(
        label=_("接待方式"), choices=[(c.value, c.label) for c in IN_PERSON_CHANNELS]
    )
    station = forms.ModelChoiceField(
        label=_("联络站"),
        queryset=Station.objects.filter(is_active=True),
        help_text=_("在哪个联络站（或由哪个站）接待。"),
    )
    deputy = forms.ModelChoiceField(
        label=_("接待代表"),
        queryset=Person.objects.all(),
        required=False,
        help_text=_("接待群众的代表；工作人员接待时可不选。"),
    )
    received_at = forms.DateTimeField(
        label=_("接待时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("接待地点"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor = self.actor
        if actor is not None and actor.role == Role.DEPUTY:
            # A deputy records his own receptions, at the stations where he sits.
            self.fields.pop("deputy")
            from lianxin.directory.models import StationMembership

            sits = StationMembership.objects.filter(person_id=actor.person_id or 0).values(
                "station"
            )
            self.fields["station"].queryset = Station.objects.filter(  # type: ignore[attr-defined]
                pk__in=sits, is_active=True
            )
        elif actor is not None:
            self.fields["deputy"].queryset = scope(  # type: ignore[attr-defined]
                actor, Person.objects.filter(mandates__isnull=False).distinct()
            )
        stations = self.fields["station"].queryset  # type: ignore[attr-defined]
        if stations.count() == 1:  # the usual case: his one station is already chosen
            self.fields["station"].initial = stations.first()
        self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def clean_received_at(self) -> dt.datetime:
        value: dt.datetime = self.cleaned_data["received_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("接待时间不能晚于现在。"))
        return value


class OpinionForm(StaffForm):
    """One opinion heard at the reception; optionally resolved on the spot (当场解决)."""

    category = forms.ModelChoiceField(label=_("类别"), queryset=Category.objects.none())
    text = _text(_("反映内容"), rows=3, max_length=2000)
    name = forms.CharField(label=_("群众姓名"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("手机号码"), max_length=20, required=False, help_text=_("用于告知办理进度。")
    )
    priority = forms.ChoiceField(
        label=_("紧急程度"), choices=Case.Priority.choices, initial=Case.Priority.NORMAL
    )
    on_spot = forms.BooleanField(label=_("已当场解决"), required=False)
    explanation = _text(_("当场解决情况"), required=False, rows=2)
    resolved_by = forms.CharField(
        label=_("解决的站点或单位"),
        max_length=100,
        required=False,
        help_text=_("代表登记当场解决时，写明由哪个联络站或单位解决。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.actor is not None:
            self.fields["category"].queryset = scope(  # type: ignore[attr-defined]
                self.actor, Category.objects.filter(is_active=True)
            ).order_by("order", "pk")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("on_spot") and not (data.get("explanation") or "").strip():
            self.add_error("explanation", _("请说明当场解决的情况。"))
        is_deputy = self.actor is not None and self.actor.role == Role.DEPUTY
        if data.get("on_spot") and is_deputy and not (data.get("resolved_by") or "").strip():
            self.add_error("resolved_by", _("请写明由哪个联络站或单位当场解决。"))
        return data


class BaseOpinionFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.has_changed()]
        if not filled:
            raise forms.ValidationError(_("请至少登记一条意见。"))


OpinionFormSet = forms.formset_factory(
    OpinionForm, formset=BaseOpinionFormSet, extra=1, max_num=20, validate_max=True
)


# --- Figures (CASE-10) ------------------------------------------------------------------------


class FiguresForm(StaffForm):
    """Which breakdown and which period."""

    BY = [
        ("region", _("按区域")),
        ("station", _("按联络站")),
        ("deputy", _("按代表")),
        ("category", _("按类别")),
        ("unit", _("按承办单位")),
    ]
    PERIODS = [
        ("month", _("本月")),
        ("quarter", _("本季度")),
        ("year", _("本年")),
        ("custom", _("自定义")),
    ]
    by = forms.ChoiceField(label=_("统计口径"), choices=BY, initial="region", required=False)
    period = forms.ChoiceField(label=_("期间"), choices=PERIODS, initial="month", required=False)
    start = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput)
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput)

    def range(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("period") or "month"
        if period == "custom" and data.get("start") and data.get("end"):
            start, end = data["start"], data["end"]
            return (start, end) if start <= end else (end, start)
        if period == "year":
            return today.replace(month=1, day=1), today.replace(month=12, day=31)
        if period == "quarter":
            first = (today.month - 1) // 3 * 3 + 1
            start = today.replace(month=first, day=1)
            last = (
                start.replace(year=start.year + 1, month=1)
                if first == 10
                else start.replace(month=first + 3)
            )
            return start, last - dt.timedelta(days=1)
        start = today.replace(day=1)
        nxt = (
            start.replace(year=start.year + 1, month=1)
            if start.month == 12
            else start.replace(month=start.month + 1)
        )
        return start, nxt - dt.timedelta(days=1)


# --- Configuration (CONFIGURE_CASES) ---------------------------------------------------------


class CategoryForm(StaffModelForm):
    class Meta:
        model = Category
        fields = ["region", "code", "name", "description", "order", "is_active"]


class ProcedureForm(StaffModelForm):
    """The congress's way of running the loop, with its labels as one line per key."""

    labels_text = forms.CharField(
        label=_("环节名称"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("每行一项，写成“代码=名称”，如 dispatch=交办、confirm=定单。留空用默认名称。"),
    )

    class Meta:
        model = Procedure
        fields = [
            "name",
            "deputy_confirms",
            "committee_claims",
            "reply_checked_by",
            "return_visit",
            "max_reopenings",
            "rating_window_days",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = self.instance.labels or {}
        self.fields["labels_text"].initial = "\n".join(f"{k}={v}" for k, v in labels.items())

    def clean_labels_text(self) -> dict[str, str]:
        from lianxin.cases.workflow import ACTION_LABELS

        known = set(ACTION_LABELS) | set(Case.Status.values)
        labels: dict[str, str] = {}
        for number, line in enumerate(self.cleaned_data["labels_text"].splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            key, sep, value = line.partition("=")
            key, value = key.strip(), value.strip()
            if not sep or not value:
                raise forms.ValidationError(_("第%(n)s行应写成“代码=名称”。") % {"n": number})
            if key not in known:
                raise forms.ValidationError(
                    _("第%(n)s行的代码“%(key)s”不是环节或状态的代码。") % {"n": number, "key": key}
                )
            labels[key] = value[:20]
        return labels

    def save(self, commit: bool = True) -> Procedure:
        self.instance.labels = self.cleaned_data.get("labels_text") or {}
        return super().save(commit)  # type: ignore[no-any-return]


class DeadlineRuleForm(StaffModelForm):
    class Meta:
        model = DeadlineRule
        fields = ["congress", "step", "scope", "priority", "amount", "unit"]


# --- 来电核验: verifying a caller (CASE-1, CASE-7) ------------------------------------------------


class PhoneCheckForm(StaffForm):
    """The case number and the PIN (or the mobile number he left) a caller reads out."""

    number = forms.CharField(
        label=_("意见编号"),
        max_length=32,
        error_messages={"required": _("请填写来电群众报出的意见编号。")},
        help_text=_("如 410425001-2026-00001。"),
    )
    secret = forms.CharField(
        label=_("查询密码或预留手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("请填写群众报出的查询密码或手机号码。")},
        help_text=_("6位查询密码，或提交意见时留下的11位手机号码。"),
    )

    def clean_number(self) -> str:
        return normalise(self.cleaned_data["number"]).strip()

    def clean_secret(self) -> str:
        value = re.sub(r"[\s-]", "", normalise(self.cleaned_data["secret"]))
        if value.startswith("+86"):
            value = value[3:]
        if not re.fullmatch(r"\d{6}|1[3-9]\d{9}", value):
            raise forms.ValidationError(_("请输入6位查询密码或11位手机号码。"))
        return value


class PhoneRateForm(RateForm):
    """The caller's rating, recorded on his behalf once he is verified (CASE-7)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("rating") == Case.Rating.DISSATISFIED
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("请记录群众不满意的原因，以便重新办理。"))
        return data


class PeriodForm(FiguresForm):
    """Only the period: a deputy's and a unit's own figures have no breakdown to choose."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["by"]


# --- Reply templates (CONFIGURE_CASES, CASE-5) -------------------------------------------------


class ReplyTemplateForm(StaffModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["region", "category", "title", "text", "order", "is_active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from lianxin.cases.replies import placeholder_help

        self.fields["text"].help_text = _(
            "可用的占位符：%(known)s。套用时自动换成这件意见的内容。"
        ) % {"known": placeholder_help()}
        category = self.fields["category"]
        assert isinstance(category, forms.ModelChoiceField)
        category.empty_label = _("所有类别")
        offered: Any = category.queryset
        current = getattr(self.instance, "category_id", None) or 0
        category.queryset = offered.filter(Q(is_active=True) | Q(pk=current))
