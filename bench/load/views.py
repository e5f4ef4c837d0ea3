"""The yardstick: a Django view that does one INSERT, behind the same middleware (sessions,
CSRF, the actor, the audit context) as the citizens' form."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from bench.load.models import BareRow
from lianxin.common.views import public


@public
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    row = BareRow.objects.create(tag=str(request.POST.get("tag", ""))[:40])
    return HttpResponse(f"ok {row.pk}", content_type="text/plain")


@public
def csrf_token(request: HttpRequest) -> HttpResponse:
    """A CSRF cookie and token for the bare view's POSTs (the form pages carry their own)."""
    from django.middleware.csrf import get_token

    return HttpResponse(get_token(request), content_type="text/plain")
