"""Writes of the core directory that are more than "save this form" (ORG-2, ORG-3).

Plain create/edit of directory records goes through ``lianxin.common.services.save_record``
(pages) and ``save_instance`` (API); what has rules of its own lives here.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import Actor, can_edit
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.directory.models import Mandate, WorkPlan


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
    locked.save(update_fields=["status", "ended_on", "end_reason", "end_note", "updated_at"])
    return locked


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
