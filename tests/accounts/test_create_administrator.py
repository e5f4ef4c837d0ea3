"""A new deployment gets its first administrators from the shell (三员分立)."""

import pytest
from django.core.management import CommandError, call_command

from lianxin.accounts.models import Role, User
from lianxin.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_it_creates_a_system_administrator_who_can_open_the_account_pages(client, monkeypatch):
    monkeypatch.setenv("LIANXIN_ADMIN_PASSWORD", "Strong-Admin-2026!")
    call_command("create_administrator", "--role", "sysadmin", "--username", "admin")
    user = User.objects.get(username="admin")
    assert list(user.assignments.values_list("role", flat=True)) == [Role.SYSTEM_ADMIN]
    assert AuditEntry.objects.filter(object_type="accounts.user", action="create").exists()
    client.force_login(user)
    assert client.get("/accounts/users/").status_code == 200


def test_it_refuses_a_weak_password_and_creates_nothing(monkeypatch):
    monkeypatch.setenv("LIANXIN_ADMIN_PASSWORD", "12345678")
    with pytest.raises(CommandError):
        call_command("create_administrator", "--role", "auditadmin", "--username", "aud")
    assert not User.objects.filter(username="aud").exists()
