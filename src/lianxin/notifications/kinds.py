"""Kinds of notification people can choose channels for. Apps register theirs here so the
preferences page can list them; an unregistered kind still works and follows the default."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

DEFAULT = "*"
_KINDS: dict[str, str | Promise] = {}


def register_kind(kind: str, label: str | Promise) -> None:
    _KINDS[kind] = label


def kinds() -> dict[str, str | Promise]:
    return dict(_KINDS)


register_kind("holidays.year_missing", _("节假日安排缺失提醒"))
