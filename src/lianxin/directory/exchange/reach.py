"""Reach of import jobs (ORG-14): a job is seen only by the account that uploaded it."""

from django.db.models import Q

from lianxin.accounts.permissions import NOTHING, Actor, reach


@reach("directory.importjob")
def import_job_reach(actor: Actor) -> Q | None:
    user_pk = getattr(actor.user, "pk", None)
    return Q(created_by_id=user_pk) if user_pk is not None else NOTHING
