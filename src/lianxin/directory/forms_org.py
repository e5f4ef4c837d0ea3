"""Staff forms of the organisation records (ORG-8, ORG-9, ORG-10, ORG-12): related choices
narrowed to reach by StaffModelForm; the rules themselves live in the models' ``clean`` and in
the actor rules of ``directory.services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lianxin.common.forms import StaffModelForm
from lianxin.directory.models import (
    CommitteeLink,
    DeputyGroup,
    Expert,
    ExpertAssignment,
    ExpertContribution,
    Grid,
    GridMember,
    GroupMembership,
)


def _persons_by_name(form: forms.ModelForm, *names: str) -> None:  # type: ignore[type-arg]
    for name in names:
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = field.queryset.order_by("name", "pk")  # type: ignore[union-attr]


class DeputyGroupForm(StaffModelForm):
    class Meta:
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


class GroupMembershipForm(StaffModelForm):
    class Meta:
        model = GroupMembership
        fields = ["group", "person", "position", "starts_on", "ends_on"]
        help_texts = {"ends_on": _("成员退出小组时填写；记录不会删除。")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _persons_by_name(self, "person")


class GridForm(StaffModelForm):
    class Meta:
        model = Grid
        fields = ["name", "region", "station", "boundary", "households", "is_active"]


class GridMemberForm(StaffModelForm):
    class Meta:
        model = GridMember
        fields = ["grid", "person", "role", "starts_on", "ends_on"]
        help_texts = {
            "person": _("联系代表一般编入本人所在乡镇（街道）的网格；跨乡镇编入须由同时管辖两地的"
                        "人大机关办理。"),
            "ends_on": _("人员离开网格时填写；记录不会删除。"),
        }  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _persons_by_name(self, "person")


class CommitteeLinkForm(StaffModelForm):
    class Meta:
        model = CommitteeLink
        fields = ["congress", "member", "deputy", "starts_on", "ends_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _persons_by_name(self, "member", "deputy")


class ExpertForm(StaffModelForm):
    """The expert's phone is the person's protected field: it is kept on the person record
    and never asked for, nor shown, here (SEC-2)."""

    class Meta:
        model = Expert
        fields = [
            "person",
            "region",
            "field",
            "organisation",
            "qualification",
            "expertise",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _persons_by_name(self, "person")
        self.fields["person"].help_text = _("请先在“代表与人员”中登记此人，再入库。")


class ExpertAssignmentForm(StaffModelForm):
    class Meta:
        model = ExpertAssignment
        fields = ["expert", "station", "starts_on", "ends_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        expert = self.fields["expert"]
        expert.queryset = expert.queryset.select_related("person")  # type: ignore[attr-defined]


class ExpertContributionForm(StaffModelForm):
    class Meta:
        model = ExpertContribution
        fields = ["expert", "station", "kind", "happened_on", "summary", "people_served"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        expert = self.fields["expert"]
        expert.queryset = expert.queryset.select_related("person")  # type: ignore[attr-defined]


class EndForm(forms.Form):
    """Ending a membership: its last day (today unless given)."""

    ends_on = forms.DateField(label=_("结束日期"), required=False)
