"""附议 (CASE-2): similar open cases nearby are found by Chinese character n-grams, and a
citizen who joins one gets his own link and is counted among the people behind it."""

from __future__ import annotations

import pytest

from lianxin.cases import services
from lianxin.cases.models import Case, CaseFigure
from lianxin.cases.similarity import grams, similar_open_cases, similarity
from lianxin.common.errors import Conflict
from tests.cases.conftest import Personas, category_for, file

pytestmark = pytest.mark.django_db


def test_it_scores_reworded_complaints_as_similar_and_others_not():
    lamp = grams("村口的路灯坏了三个月，晚上出行不便。")
    assert similarity(lamp, grams("我们村口路灯坏了好久了，晚上黑")) >= 0.45
    assert similarity(lamp, grams("小学门口的下水道堵塞，污水横流")) < 0.2
    # Full-width digits and letters read as half-width.
    assert grams("３号楼") == grams("3号楼")


def test_it_offers_open_similar_cases_of_the_same_place_and_category(world):
    lamp = file(world.a, text="村口的路灯坏了三个月，晚上出行不便。").case
    file(world.a, text="小学门口的下水道堵塞，污水横流，气味难闻。")
    elsewhere = file(world.b, text="村口的路灯坏了三个月，晚上出行不便。").case
    found = similar_open_cases(
        region=world.a.village, category=category_for(world.a), text="村口路灯坏了，晚上看不见路"
    )
    assert [m.case for m in found] == [lamp]
    assert elsewhere not in [m.case for m in found]
    assert (
        similar_open_cases(region=world.a.village, category=category_for(world.a), text="灯") == []
    )  # too short to judge


def test_a_seconding_citizen_gets_his_own_link_and_counts_as_one_more_person(world):
    first = file(world.a)
    joined = services.second(case=first.case, name="李四", phone="13900001111",
                             submission_key="second-0001")  # fmt: skip
    again = services.second(case=first.case, name="李四", submission_key="second-0001")
    assert again.created is False and again.token == joined.token
    assert joined.token != first.token
    assert services.find_by_token(joined.token).case == first.case
    assert first.case.citizens.count() == 2
    assert sum(CaseFigure.objects.values_list("people", flat=True)) == 2
    assert sum(CaseFigure.objects.values_list("received", flat=True)) == 1


def test_a_closed_case_takes_no_seconds(world):
    a = Personas(world.a)
    case = services.confirm(who=a.deputy, case=file(world.a).case)
    services.decline(who=a.office, case=case, explanation="属法院职责。")
    with pytest.raises(Conflict):
        services.second(case=Case.objects.get(pk=case.pk), name="王五")
