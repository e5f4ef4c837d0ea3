"""The three administrators (三员分立): each does his own work, and is refused (404) the
others' pages and API."""

import pytest
from django.test import Client

from lianxin.accounts.models import Role, RoleAssignment, User
from lianxin.audit.models import AuditEntry
from tests.factories import PASSWORD

STRONG = "Qiao-Lian-2026!"


def _areas(world):
    office = world.a.office
    assignment = office.assignments.get()
    entry = AuditEntry.objects.create(action=AuditEntry.Action.ACTION, note="x")
    return {
        "sys": [
            "/accounts/users/",
            "/accounts/users/new/",
            f"/accounts/users/{office.pk}/",
            f"/accounts/users/{office.pk}/edit/",
            f"/accounts/users/{office.pk}/password/",
            f"/accounts/users/{office.pk}/person/",
            "/api/v1/accounts/users/",
            f"/api/v1/accounts/users/{office.pk}/",
        ],
        "sec": [
            "/accounts/assignments/",
            "/accounts/assignments/new/",
            f"/accounts/assignments/{assignment.pk}/",
            "/api/v1/accounts/assignments/",
            f"/api/v1/accounts/assignments/{assignment.pk}/",
        ],
        "aud": [
            "/staff/audit/",
            f"/staff/audit/{entry.pk}/",
            "/api/v1/audit/entries/",
            f"/api/v1/audit/entries/{entry.pk}/",
        ],
    }


@pytest.mark.parametrize("who", ["sys", "sec", "aud"])
def test_it_opens_each_administrators_own_pages_and_api(world, who):
    user = User.objects.get(username=who)
    client = world.client_for(user)
    for url in _areas(world)[who]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["sys", "sec", "aud", "a_office", "a_leader", "a_deputy"])
def test_it_refuses_everybody_the_other_administrators_work_with_404(world, who):
    user = User.objects.get(username=who)
    client = world.client_for(user)
    for owner, urls in _areas(world).items():
        if owner == who:
            continue
        for url in urls:
            assert client.get(url).status_code == 404, (who, url)


def test_it_refuses_the_others_writes_too(world):
    office = world.a.office
    assignment = office.assignments.get()
    sec = world.client_for(world.secadmin)
    aud = world.client_for(world.auditadmin)
    sys = world.client_for(world.sysadmin)
    assert sec.post(f"/accounts/users/{office.pk}/disable/").status_code == 404
    assert aud.post("/accounts/users/new/", {"username": "x"}).status_code == 404
    assert sys.post(f"/accounts/assignments/{assignment.pk}/").status_code == 404
    assert sys.post("/accounts/assignments/new/", {"user": office.pk}).status_code == 404
    office.refresh_from_db()
    assignment.refresh_from_db()
    assert office.is_active and assignment.is_active


def test_it_sends_an_anonymous_visitor_to_login(client, world):
    response = client.get("/accounts/users/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_lists_accounts_with_search_filters_and_paging(world):
    client = world.client_for(world.sysadmin)
    page = client.get("/accounts/users/", {"q": "a_off"}).content.decode()
    assert "a_office" in page and "b_office" not in page
    world.b.office.is_active = False
    world.b.office.save()
    page = client.get("/accounts/users/", {"is_active": "false"}).content.decode()
    assert "b_office" in page and "a_office" not in page
    page = client.get("/accounts/users/", {"role": Role.DEPUTY}).content.decode()
    assert "a_deputy" in page and "a_office" not in page
    User.objects.bulk_create([User(username=f"bulk{n:03d}") for n in range(30)])
    first = client.get("/accounts/users/").content.decode()
    assert "第 1 / 2 页" in first
    empty = client.get("/accounts/users/", {"q": "zzz-nobody"}).content.decode()
    assert "没有符合条件的记录" in empty


def test_it_creates_an_account_with_a_strong_password(world):
    client = world.client_for(world.sysadmin)
    weak = client.post(
        "/accounts/users/new/",
        {
            "username": "newbie",
            "display_name": "新人",
            "password1": "12345678",
            "password2": "12345678",
        },
    )
    assert weak.status_code == 200
    body = weak.content.decode()
    assert "newbie" in body  # what was typed is kept
    assert "密码" in body and "is-invalid" in body
    assert not User.objects.filter(username="newbie").exists()

    mismatch = client.post(
        "/accounts/users/new/",
        {"username": "newbie", "password1": STRONG, "password2": STRONG + "x"},
    )
    assert "两次输入的密码不一致" in mismatch.content.decode()

    taken = client.post(
        "/accounts/users/new/",
        {"username": "A_OFFICE", "password1": STRONG, "password2": STRONG},
    )
    assert "该账号名已被使用" in taken.content.decode()

    response = client.post(
        "/accounts/users/new/",
        {"username": "newbie", "display_name": "新人", "password1": STRONG, "password2": STRONG},
    )
    user = User.objects.get(username="newbie")
    assert response["Location"] == f"/accounts/users/{user.pk}/"
    assert user.check_password(STRONG) and user.must_change_password
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == world.sysadmin
    assert entry.changes["password"] == [None, "***"]
    assert STRONG not in str(entry.changes)


def test_it_edits_resets_and_links_an_account(world):
    client = world.client_for(world.sysadmin)
    user = world.b.office
    response = client.post(
        f"/accounts/users/{user.pk}/edit/", {"display_name": "乙镇办公室", "email": "b@example.cn"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "乙镇办公室"

    client.post(f"/accounts/users/{user.pk}/password/", {"password1": STRONG, "password2": STRONG})
    user.refresh_from_db()
    assert user.check_password(STRONG) and user.must_change_password

    person = world.a.deputy
    found = client.get(f"/accounts/users/{user.pk}/person/", {"person_q": person.name})
    assert person.name in found.content.decode()
    taken = client.post(f"/accounts/users/{user.pk}/person/", {"person": person.pk})
    assert "该人员已关联其他账号" in taken.content.decode()
    from tests.factories import PersonFactory

    free = PersonFactory(name="无账号者")
    client.post(f"/accounts/users/{user.pk}/person/", {"person": free.pk})
    free.refresh_from_db()
    assert free.account == user


def test_it_disables_and_enables_an_account(world):
    client = world.client_for(world.sysadmin)
    user = world.b.unit_staff
    client.post(f"/accounts/users/{user.pk}/disable/")
    user.refresh_from_db()
    assert not user.is_active
    client.post(f"/accounts/users/{user.pk}/enable/")
    user.refresh_from_db()
    assert user.is_active
    assert (
        Client()
        .post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        .status_code
        == 302
    )


def test_it_grants_roles_with_validation_and_revokes_them(world):
    client = world.client_for(world.secadmin)
    user = world.b.unit_staff
    missing_org = client.post(
        "/accounts/assignments/new/", {"user": user.pk, "role": Role.OFFICE, "title": "主任"}
    )
    assert "该角色必须指定所属组织" in missing_org.content.decode()
    wrong_org = client.post(
        "/accounts/assignments/new/",
        {
            "user": user.pk,
            "role": Role.OFFICE,
            "region": world.b.region.pk,
            "station": world.a.station.pk,
        },
    )
    assert "该角色不应指定此项" in wrong_org.content.decode()
    no_person = client.post(
        "/accounts/assignments/new/", {"user": world.b.office.pk, "role": Role.DEPUTY}
    )
    assert "只有关联了人员档案的账号才能担任代表角色" in no_person.content.decode()
    self_grant = client.post(
        "/accounts/assignments/new/", {"user": world.secadmin.pk, "role": Role.AUDIT_ADMIN}
    )
    assert "不能给自己授权" in self_grant.content.decode()

    ok = client.post(
        "/accounts/assignments/new/",
        {"user": user.pk, "role": Role.STATION, "station": world.a.station.pk},
    )
    assert ok.status_code == 302
    granted = RoleAssignment.objects.get(user=user, role=Role.STATION)
    twice = client.post(
        "/accounts/assignments/new/",
        {"user": user.pk, "role": Role.STATION, "station": world.a.station.pk},
    )
    assert "该账号已拥有此角色授权" in twice.content.decode()

    listing = client.get("/accounts/assignments/", {"role": Role.STATION}).content.decode()
    assert str(user) in listing
    client.post(f"/accounts/assignments/{granted.pk}/")
    granted.refresh_from_db()
    assert not granted.is_active
    again = client.post(
        "/accounts/assignments/new/",
        {"user": user.pk, "role": Role.STATION, "station": world.a.station.pk},
    )
    assert again.status_code == 302
    granted.refresh_from_db()
    assert granted.is_active
    entries = AuditEntry.objects.filter(
        object_type="accounts.roleassignment", object_id=str(granted.pk)
    )
    assert {e.action for e in entries} == {AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE}
    assert all(e.actor == world.secadmin for e in entries)


def test_it_lets_staff_create_and_revoke_their_own_api_token(world):
    from rest_framework.authtoken.models import Token

    client = world.client_for(world.a.office)
    page = client.post("/accounts/token/", {"action": "create"})
    key = Token.objects.get(user=world.a.office).key
    assert key in page.content.decode()
    assert key not in client.get("/accounts/token/").content.decode()  # shown once
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/audit/entries/").status_code == 404
    client.post("/accounts/token/", {"action": "revoke"})
    assert not Token.objects.filter(user=world.a.office).exists()
    assert api.get("/api/v1/").status_code == 401
    assert world.client_for(world.auditadmin).get("/accounts/token/").status_code == 404
    notes = list(AuditEntry.objects.filter(actor=world.a.office).values_list("note", flat=True))
    assert "创建API令牌" in notes and "撤销API令牌" in notes
    assert not any(key in n for n in notes)
