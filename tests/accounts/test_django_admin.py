"""The Django admin is open to the office and the system administrator; its lists are
scoped like every page, and what is out of reach answers 404 (SEC-1)."""

from django.contrib import admin
from django.test import RequestFactory

from lianxin.accounts.admin import ScopedModelAdmin
from lianxin.accounts.permissions import actor_for
from lianxin.admin_site import LianxinAdminSite
from lianxin.directory.models import Station


def test_it_is_the_lianxin_admin_site():
    assert isinstance(admin.site, LianxinAdminSite)


def test_it_opens_the_admin_to_the_office_and_the_system_administrator_only(world):
    assert world.client_for(world.sysadmin).get("/admin/").status_code == 200
    assert world.client_for(world.a.office).get("/admin/").status_code == 200
    assert world.client_for(world.a.office).get("/admin/accounts/user/").status_code == 404
    for user in (world.secadmin, world.auditadmin, world.a.deputy_user, world.a.station_staff):
        assert world.client_for(user).get("/admin/").status_code == 404
        assert world.client_for(user).get("/admin/accounts/user/").status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_throttled_login(client, world):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")


def test_it_shows_accounts_read_only_to_the_system_administrator(world):
    client = world.client_for(world.sysadmin)
    listing = client.get("/admin/accounts/user/")
    assert listing.status_code == 200
    assert "a_office" in listing.content.decode()
    assert client.get("/admin/accounts/user/add/").status_code == 404
    assert client.get("/admin/audit/auditentry/").status_code == 404  # the auditor's alone


def test_it_scopes_a_model_admin_by_the_acting_role(world):
    model_admin = ScopedModelAdmin(Station, admin.site)
    request = RequestFactory().get("/admin/directory/station/")
    request.actor = actor_for(world.a.office)
    request.user = world.a.office
    assert set(model_admin.get_queryset(request)) == {world.a.station, world.a.room}
    assert model_admin.has_change_permission(request, world.a.station)
    assert not model_admin.has_change_permission(request, world.b.station)
    request.actor = actor_for(world.a.deputy_user)
    assert not model_admin.has_add_permission(request)
