"""The permission matrix's voter records of one township (VOT-1, VOT-4; engineer VOTERS): the
township deputy's fixed voter, a contact with him, a pending good deed, and the office's
callback sample calling him, a report to his voters, and his contact as a standing committee
member with a deputy he links (ORG-10)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from lianxin.activities.models.voters import (
    CallbackCall,
    CallbackSample,
    CommitteeContact,
    FixedVoter,
    GoodDeed,
    VoterContact,
    VoterReport,
)
from lianxin.directory.models import CommitteeLink
from tests.factories import PersonFactory

# Tables the matrix counts before and after each write.
TRACKED: list[type[models.Model]] = [
    FixedVoter,
    VoterContact,
    GoodDeed,
    CallbackSample,
    CallbackCall,
    VoterReport,
    CommitteeContact,
]


def voter_objects(t: Any) -> dict[type[models.Model], models.Model]:
    voter = FixedVoter.objects.create(
        deputy=t.deputy, year=2026, region=t.village, name=f"{t.region.name}矩阵选民",
        phone="13700001111", address="矩阵组",
    )  # fmt: skip
    contact = VoterContact.objects.create(
        deputy=t.deputy, voter=voter, contacted_on=dt.date(2026, 3, 2), method="visit",
        content="矩阵走访",
    )  # fmt: skip
    deed = GoodDeed.objects.create(
        deputy=t.deputy, done_on=dt.date(2026, 3, 2), region=t.village, title="矩阵实事",
        description="矩阵",
    )  # fmt: skip
    sample = CallbackSample.objects.create(
        region=t.region, month=dt.date(2026, 3, 1), size=1, seed="matrix"
    )
    call = CallbackCall.objects.create(sample=sample, voter=voter)
    report = VoterReport.objects.create(
        deputy=t.deputy, held_on=dt.date(2026, 3, 2), place=f"{t.region.name}矩阵会场",
        report="矩阵述职", voters_present=20, satisfied=15,
    )  # fmt: skip
    # ORG-10: the township's deputy is also a standing committee member linking a deputy.
    linked = PersonFactory(name=f"{t.region.name}矩阵被联系代表", region=t.region)
    link = CommitteeLink.objects.create(congress=t.congress, member=t.deputy, deputy=linked)
    committee = CommitteeContact.objects.create(
        link=link, contacted_on=dt.date(2026, 3, 2), method="visit", content="矩阵联系"
    )
    return {
        VoterReport: report,
        CommitteeContact: committee,
        FixedVoter: voter,
        VoterContact: contact,
        GoodDeed: deed,
        CallbackSample: sample,
        CallbackCall: call,
    }
