"""Region pages (ORG-1): browse the tree in reach, create and edit townships and villages."""

import pytest
from django.urls import reverse

from lianxin.accounts.models import Role
from lianxin.regions.models import Region


@pytest.fixture
def office_a(world):
    return world.client_for(world.a.office, Role.OFFICE)


def test_it_starts_the_browse_at_the_top_of_the_office_reach(world, office_a):
    html = office_a.get(reverse("regions:list")).content.decode()
    assert "甲镇" in html
    assert "乙镇" not in html
    assert "郏县" not in html


def test_it_drills_down_with_a_breadcrumb_of_ancestors(world, office_a):
    response = office_a.get(reverse("regions:list"), {"parent": world.a.region.pk})
    html = response.content.decode()
    assert "甲镇一村" in html
    for ancestor in ("河南省", "平顶山市", "郏县"):
        assert ancestor in html


def test_it_searches_by_name_and_code(world, office_a):
    html = office_a.get(reverse("regions:list"), {"q": "一村"}).content.decode()
    assert "甲镇一村" in html
    assert "乙镇一村" not in html
    by_code = office_a.get(reverse("regions:list"), {"q": world.a.village.code}).content.decode()
    assert "甲镇一村" in by_code


def test_it_answers_404_for_another_townships_region(world, office_a):
    for url in (
        reverse("regions:detail", args=[world.b.region.pk]),
        reverse("regions:edit", args=[world.b.village.pk]),
        reverse("regions:list") + f"?parent={world.b.region.pk}",
        reverse("regions:create") + f"?parent={world.b.region.pk}",
    ):
        assert office_a.get(url).status_code == 404, url


def test_it_creates_a_village_with_a_local_code(world, office_a):
    response = office_a.post(
        reverse("regions:create"),
        {"parent": world.a.region.pk, "level": 5, "name": "甲镇二村", "kind": "村"},
    )
    assert response.status_code == 302
    village = Region.objects.get(name="甲镇二村")
    assert village.code == f"{world.a.region.code}L001"
    assert village.code_is_local
    assert village.path.startswith(world.a.region.path)
    office_a.post(
        reverse("regions:create"), {"parent": world.a.region.pk, "level": 5, "name": "甲镇三村"}
    )
    assert Region.objects.get(name="甲镇三村").code == f"{world.a.region.code}L002"


def test_it_refuses_a_level_that_is_not_one_below_the_parent(world):
    county_office = world.client_for(world.sysadmin)
    response = county_office.post(
        reverse("regions:create"), {"parent": world.a.county.pk, "level": 5, "name": "越级村"}
    )
    assert response.status_code == 200
    assert "级别必须比上级区划低一级" in response.content.decode()
    assert not Region.objects.filter(name="越级村").exists()


def test_it_checks_a_national_code_against_the_parent(world):
    client = world.client_for(world.sysadmin)
    url = reverse("regions:create")
    data = {"parent": world.a.county.pk, "level": 4, "name": "城关镇新", "code": "411323100"}
    html = client.post(url, data).content.decode()
    assert "区划代码应以上级区划代码 410425 开头。" in html
    data["code"] = "41042510"
    assert "国家区划代码应为9位数字。" in client.post(url, data).content.decode()
    data["code"] = "410425199"
    assert client.post(url, data).status_code == 302
    town = Region.objects.get(code="410425199")
    assert not town.code_is_local
    assert town.level == 4
    data["name"] = "另一个镇"
    assert "已被使用" in client.post(url, data).content.decode()


def test_it_refuses_a_duplicate_name_under_the_same_parent(world, office_a):
    response = office_a.post(
        reverse("regions:create"), {"parent": world.a.region.pk, "level": 5, "name": "甲镇一村"}
    )
    assert "甲镇下已有名为“甲镇一村”的区划。" in response.content.decode()


def test_it_does_not_let_an_office_create_outside_its_reach(world, office_a):
    response = office_a.post(
        reverse("regions:create"), {"parent": world.b.region.pk, "level": 5, "name": "越界村"}
    )
    assert response.status_code == 200
    assert "请选择您管辖范围内的县或乡镇。" in response.content.decode()
    assert not Region.objects.filter(name="越界村").exists()


def test_it_edits_a_village_and_replaces_its_local_code(world, office_a):
    village = world.a.village
    url = reverse("regions:edit", args=[village.pk])
    response = office_a.post(url, {"name": "甲镇一村（新）", "kind": "村", "code": ""})
    assert response.status_code == 302
    village.refresh_from_db()
    assert village.name == "甲镇一村（新）"
    assert village.code_is_local


def test_it_does_not_let_staff_edit_a_county(world):
    client = world.client_for(world.sysadmin)
    assert client.get(reverse("regions:edit", args=[world.a.county.pk])).status_code == 404


def test_it_lets_leadership_browse_but_not_create(world):
    client = world.client_for(world.a.leadership, Role.LEADERSHIP)
    assert client.get(reverse("regions:list")).status_code == 200
    assert client.get(reverse("regions:create")).status_code == 404
    assert client.get(reverse("regions:import")).status_code == 404


def test_it_finds_a_subtree_with_one_prefix_query(world, django_assert_num_queries):
    from lianxin.regions.filters import subtree

    county = world.a.county
    with django_assert_num_queries(1) as captured:
        rows = list(subtree(county))
    assert world.a.village in rows
    assert world.b.village not in rows
    sql = captured.captured_queries[0]["sql"]
    assert "LIKE" in sql.upper()


def test_it_asks_for_the_parents_national_code_first(world, office_a):
    response = office_a.post(
        reverse("regions:create"),
        {"parent": world.a.region.pk, "level": 5, "name": "甲镇九村", "code": "410425100209"},
    )
    assert "使用本地代码，请先为它填写国家区划代码" in response.content.decode()


def test_it_shows_a_region_with_its_ancestors_and_actions(world, office_a):
    html = office_a.get(reverse("regions:detail", args=[world.a.village.pk])).content.decode()
    assert "甲镇一村" in html
    assert "郏县" in html
    assert reverse("regions:edit", args=[world.a.village.pk]) in html
    county = world.client_for(world.sysadmin).get(
        reverse("regions:detail", args=[world.a.county.pk])
    )
    assert reverse("regions:edit", args=[world.a.county.pk]) not in county.content.decode()
