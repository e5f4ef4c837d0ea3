"""The demo holds cases in every state of the loop, from every kind of channel (issue 4)."""

import pytest

from lianxin.cases.models import Case
from lianxin.common.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_cases_in_every_state_and_loads_once():
    load_demo()
    cases = Case.objects.all()
    states = set(cases.values_list("status", flat=True))
    assert states == set(Case.Status.values)
    assert cases.filter(reopen_count=1).exists()
    assert cases.filter(rating=Case.Rating.UNRATED).exists()
    assert cases.filter(extension_requested=True).exists()
    assert cases.filter(scope=Case.Scope.ON_SPOT).exists()
    overdue = [c for c in cases if c.due_at is not None and c.is_open]
    assert any(c.due_at < c.updated_at for c in overdue)
    assert len(set(cases.values_list("channel", flat=True))) >= 10
    total = cases.count()
    assert load_demo() == 0
    assert Case.objects.count() == total
