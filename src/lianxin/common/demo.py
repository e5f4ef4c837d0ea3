"""The demo dataset (idempotent: every record is found by a natural key before it is made)."""

from __future__ import annotations

from django.db import transaction

from lianxin.accounts.models import Role, RoleAssignment, User
from lianxin.regions.models import Region

DEMO_PASSWORD = "Lianxin-demo-2026"  # noqa: S105 - published demo credential

_LOGINS: list[tuple[str, str]] = [
    ("sysadmin", "系统管理员"),
    ("secadmin", "安全管理员"),
    ("auditadmin", "安全审计员"),
    ("jiaxian_office", "郏县人大常委会代表工委"),
]


def demo_logins() -> list[tuple[str, str]]:
    return list(_LOGINS)


@transaction.atomic
def load_demo() -> int:
    created = 0
    jiaxian = Region.objects.get(code="410425")
    for username, role, region in [
        ("sysadmin", Role.SYSTEM_ADMIN, None),
        ("secadmin", Role.SECURITY_ADMIN, None),
        ("auditadmin", Role.AUDIT_ADMIN, None),
        ("jiaxian_office", Role.OFFICE, jiaxian),
    ]:
        user, made = User.objects.get_or_create(username=username)
        if made:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
        _, made = RoleAssignment.objects.get_or_create(user=user, role=role, region=region)
        created += int(made)
    return created
