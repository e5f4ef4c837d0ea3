"""Reach of import jobs (ORG-14): a job is seen only by the account that uploaded it."""

from django.db.models import Q

from lianxin.accounts.permissions import NOTHING, Actor, Perm, model_perms, reach

# Like a message in an inbox, a job belongs to one account: the capability the import pages
# declare, and reach (the uploader) for reading it and for confirming it.
model_perms("directory.importjob", Perm.VIEW_DIRECTORY, Perm.VIEW_DIRECTORY)


@reach("directory.importjob")
def import_job_reach(actor: Actor) -> Q | None:
    user_pk = getattr(actor.user, "pk", None)
    return Q(created_by_id=user_pk) if user_pk is not None else NOTHING
