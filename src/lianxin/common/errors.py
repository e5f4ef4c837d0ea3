"""Domain errors (STYLE 7): raised by services, turned into a message in the user's
language at the edge and into one JSON error shape in the API."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "invalid"
    default_message: str | Promise = _("操作无法完成。")

    def __init__(self, message: str | Promise | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(str(self.message))


class NotAllowed(DomainError):
    code = "not_allowed"
    default_message = _("您没有执行此操作的权限。")


class Conflict(DomainError):
    """Somebody else acted first (HTTP 409)."""

    code = "conflict"
    default_message = _("该记录已被他人处理，请刷新后查看。")
