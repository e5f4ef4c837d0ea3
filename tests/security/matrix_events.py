"""The permission matrix's activity records of one township (ACT-1, engineer EVENTS): a
stool forum organised by the township's station with the township deputy invited, and one
photo of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import models

from lianxin.activities.models import Activity, ActivityCase, ActivityPhoto, Participant
from lianxin.holidays.deadlines import BEIJING

# Tables the matrix counts before and after each write.
TRACKED: list[type[models.Model]] = [Activity, Participant, ActivityPhoto, ActivityCase]

# A tiny JPEG is not needed: the photo view streams whatever the file holds.
_BYTES = b"\xff\xd8\xff\xe0matrix\xff\xd9"


def event_objects(t: Any) -> dict[type[models.Model], models.Model]:
    start = dt.datetime(2030, 5, 15, 9, 0, tzinfo=BEIJING)
    activity = Activity.objects.create(
        kind="stool",
        title=f"{t.region.name}小板凳议事",
        region=t.region,
        station=t.station,
        place=f"{t.region.name}村委会",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
    )
    participant = Participant.objects.create(activity=activity, person=t.deputy)
    photo = ActivityPhoto(activity=activity)
    photo.image.save("matrix.jpg", ContentFile(_BYTES), save=False)
    photo.save()
    return {Activity: activity, Participant: participant, ActivityPhoto: photo}
