"""A citizen's opinion as acknowledged, before it becomes a case (CASE-1, SEC-5, issue 7;
decision 0010).

The filing request writes one row here, under the congress's number counter, and answers at
once with the number, the tracking link and the PIN; ``portal.intake.register`` turns the row
into the case (citizen, event, figures, deadline) in a task, or the sweep does it later.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Intake(models.Model):
    """One acknowledged opinion. ``payload`` holds the validated form data; the citizen's
    personal fields in it are encrypted (SEC-2, lianxin.common.fields.encrypt)."""

    congress = models.ForeignKey(
        "directory.Congress", verbose_name=_("人大"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("意见编号"), max_length=40, unique=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # No PIN hash: the PIN is the one the one-time key stands for (cases.services.secrets_for).
    # The form's one-time key: the same key twice is acknowledged once.
    submission_key = models.CharField(max_length=64, unique=True)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(_("受理时间"))
    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("群众意见"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("受理记录")
        verbose_name_plural = _("受理记录")
        indexes = [
            models.Index(
                fields=["received_at"],
                condition=models.Q(case__isnull=True),
                name="portal_intake_unregistered",
            )
        ]

    def __str__(self) -> str:
        return self.number
