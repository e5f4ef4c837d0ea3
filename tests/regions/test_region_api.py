"""/api/v1/regions/ (API-1, ORG-1): reach, the subtree filter, writes through the services."""

from rest_framework.test import APIClient

from lianxin.accounts.models import Role
from lianxin.regions.models import Region


def api_for(user, role=None):
    client = APIClient()
    client.force_authenticate(user)
    if role:
        client.credentials(HTTP_X_LIANXIN_ROLE=str(user.assignments.get(role=role).pk))
    return client


def test_it_lists_regions_in_reach_with_parent_and_level_filters(world):
    client = api_for(world.a.office, Role.OFFICE)
    rows = client.get("/api/v1/regions/").json()["results"]
    assert {r["id"] for r in rows} == {world.a.region.pk, world.a.village.pk}
    rows = client.get("/api/v1/regions/", {"level": 5}).json()["results"]
    assert [r["id"] for r in rows] == [world.a.village.pk]
    rows = client.get("/api/v1/regions/", {"parent": world.a.region.pk}).json()["results"]
    assert [r["id"] for r in rows] == [world.a.village.pk]


def test_it_filters_a_subtree(world):
    client = api_for(world.sysadmin)
    rows = client.get("/api/v1/regions/", {"subtree": world.a.county.pk, "page_size": 500}).json()[
        "results"
    ]
    ids = {r["id"] for r in rows}
    assert {world.a.county.pk, world.a.region.pk, world.a.village.pk} <= ids
    assert world.b.region.pk not in ids
    office = api_for(world.a.office, Role.OFFICE)
    assert office.get("/api/v1/regions/", {"subtree": world.b.region.pk}).json()["results"] == []


def test_it_answers_404_for_a_region_out_of_reach(world):
    client = api_for(world.a.office, Role.OFFICE)
    assert client.get(f"/api/v1/regions/{world.b.village.pk}/").status_code == 404
    assert client.patch(f"/api/v1/regions/{world.b.village.pk}/", {"name": "x"}).status_code == 404


def test_it_creates_a_village_through_the_api_with_the_same_rules(world):
    client = api_for(world.a.office, Role.OFFICE)
    response = client.post(
        "/api/v1/regions/", {"parent": world.a.region.pk, "name": "接口村", "level": 5}
    )
    assert response.status_code == 201, response.json()
    assert response.json()["code_is_local"] is True
    bad = client.post("/api/v1/regions/", {"parent": world.a.region.pk, "name": "坏村", "level": 4})
    assert bad.status_code == 400
    assert "级别必须比上级区划低一级" in str(bad.json())
    outside = client.post(
        "/api/v1/regions/", {"parent": world.b.region.pk, "name": "越界村", "level": 5}
    )
    assert outside.status_code == 400
    assert not Region.objects.filter(name__in=["坏村", "越界村"]).exists()


def test_it_lets_leadership_read_but_not_write(world):
    client = api_for(world.a.leadership, Role.LEADERSHIP)
    assert client.get("/api/v1/regions/").status_code == 200
    response = client.post(
        "/api/v1/regions/", {"parent": world.a.region.pk, "name": "x", "level": 5}
    )
    assert response.status_code == 403
