"""The citizens' public pages: a deputy's and a station's page, their QR codes, the opinion
forms and their receipt, the tracking page with the rating, the lookup by number and PIN, and
case photos (ORG-13, SEC-6, CASE-1, CASE-2, CASE-7, CASE-9, SEC-5, UI.md "Citizens").

All views but ``photo`` (staff, by reach) are ``@public``: no login, nothing personal. The
pages that carry a form key, a tracking link or a PIN are never cached.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lianxin.accounts.permissions import Perm, get_in_reach_or_404
from lianxin.cases import services
from lianxin.cases.models import Case, CaseCitizen, CasePhoto
from lianxin.cases.photos import MAX_PHOTOS
from lianxin.cases.services import TEXT_MAX
from lianxin.cases.workflow import Who
from lianxin.common.errors import Conflict, NotAllowed
from lianxin.common.qr import public_url, qr_png, qr_svg
from lianxin.common.views import public, requires
from lianxin.portal import cases as public_cases
from lianxin.portal import flood, intake, selectors
from lianxin.portal.forms import KEY_RE, LookupForm, OpinionForm, RatingForm, new_submission_key
from lianxin.regions.models import Region

# Pages load only the project's own CSS/JS; images may be data: URIs (inline QR codes).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _public_headers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Security headers for pages that face the internet (SEC-6)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "no-referrer"
        response["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        # Unguessable keys: a deputy's page is for those who hold his code, not for crawlers.
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _portal_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return public(require_safe(_public_headers(view)))


@_portal_view
def deputy(request: HttpRequest, key: str) -> HttpResponse:
    page = selectors.deputy_page(key)
    return render(request, "portal/deputy.html", {"page": page})


@_portal_view
def station(request: HttpRequest, key: str) -> HttpResponse:
    page = selectors.station_page(key)
    record = public_cases.station_record(key, request.GET.get("page"))
    return render(request, "portal/station.html", {"page": page, "record": record})


@_portal_view
def plans(request: HttpRequest, congress_id: int) -> HttpResponse:
    """A congress's published annual deputy-work plans (ORG-2, 代表法 §43)."""
    congress, plan_list = selectors.plans_page(congress_id)
    return render(request, "portal/plans.html", {"congress": congress, "plans": plan_list})


@_portal_view
def plan(request: HttpRequest, congress_id: int, year: int) -> HttpResponse:
    return render(request, "portal/plan.html", {"plan": selectors.plan_page(congress_id, year)})


def _svg(url: str) -> HttpResponse:
    response = HttpResponse(qr_svg(url, scale=8), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _png(url: str, filename: str) -> HttpResponse:
    response = HttpResponse(qr_png(url), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@_portal_view
def deputy_qr_svg(request: HttpRequest, key: str) -> HttpResponse:
    return _svg(public_url(selectors.person_for_qr(key)))


@_portal_view
def deputy_qr_png(request: HttpRequest, key: str) -> HttpResponse:
    return _png(public_url(selectors.person_for_qr(key)), "deputy-qr.png")


@_portal_view
def station_qr_svg(request: HttpRequest, key: str) -> HttpResponse:
    return _svg(public_url(selectors.station_for_qr(key)))


@_portal_view
def station_qr_png(request: HttpRequest, key: str) -> HttpResponse:
    return _png(public_url(selectors.station_for_qr(key)), "station-qr.png")


# --- Opinions (CASE-1, CASE-2, SEC-5) ---------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    """Pages with a one-time key, a tracking link or a PIN: never kept by any cache (a shared
    cache serving one citizen's form key to another would hand him the first one's receipt)."""
    response["Cache-Control"] = "private, no-store, max-age=0"
    return response


def _form_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    return public(require_http_methods(["GET", "HEAD", "POST"])(_public_headers(view)))


def _opinion_form(place: public_cases.Place, data: Any = None, files: Any = None,
                  *, final: bool = False, similar: list[Case] | None = None,
                  initial: dict[str, Any] | None = None) -> OpinionForm:  # fmt: skip
    return OpinionForm(
        data,
        files,
        categories=place.categories(),
        villages=place.villages,
        similar=similar or [],
        final=final,
        initial=initial,
    )


def _render_step(request: HttpRequest, place: public_cases.Place, form: OpinionForm,
                 *, similar: list[Case] | None = None, status: int = 200,
                 notice: str = "") -> HttpResponse:  # fmt: skip
    context = {
        "place": place,
        "form": form,
        "step": 2 if form.final else 1,
        "similar": public_cases.similar_records(similar or []),
        "notice": notice,
        "max_photos": MAX_PHOTOS,
        "action": request.get_full_path(),
    }
    return _private(render(request, "portal/opinion.html", context, status=status))


def _add_service_errors(form: OpinionForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error("photos" if "photos" in form.fields else None, error.messages)


def _opinion(request: HttpRequest, place: public_cases.Place) -> HttpResponse:
    """The two steps of an opinion and the receipt (CASE-1, CASE-2)."""
    if request.method != "POST":
        return _render_step(
            request, place, _opinion_form(place, initial={"key": new_submission_key()})
        )
    if request.POST.get("check") == "1":
        return _similar_while_typing(request, place)
    posted: Any = request.POST
    if not KEY_RE.match(posted.get("key", "")):
        # A page kept too long or tampered with: a fresh key, and the citizen checks and sends
        # again; what he typed stays.
        posted = posted.copy()
        posted["key"] = new_submission_key()
        stale = _opinion_form(place, posted, final=posted.get("step") == "2")
        stale.errors.clear()
        notice = str(_("页面已过期，请检查后重新提交。您填写的内容已保留。"))
        return _render_step(request, place, stale, status=400, notice=notice)
    new_opinion = not request.POST.get("join") and "edit" not in request.POST
    if request.POST.get("step") == "2" and new_opinion:
        # The common filing, a new opinion: the whole form validated once (issue 7: the
        # filing's cost). Any error takes the path below, which shows the right step.
        whole = _opinion_form(place, request.POST, request.FILES, final=True)
        if whole.is_valid():
            return _file(request, place, whole, found=[])
    first = _opinion_form(place, request.POST)
    if not first.is_valid() or "edit" in request.POST:
        if "edit" in request.POST:
            first.errors.clear()  # back to step 1 to change what was typed: no messages
        return _render_step(request, place, first)
    region = place.region_for(first.cleaned_data.get("village"))
    category, text = first.cleaned_data["category"], first.cleaned_data["text"]
    if request.POST.get("step") != "2":
        similar = public_cases.similar(place, region, category, text)
        chosen = request.POST.get("join", "")  # 附议 chosen as he typed (htmx, below)
        second_step = _opinion_form(place, initial=first.cleaned_data | {
            "category": category.pk, "key": first.cleaned_data["key"],
            "join": chosen if chosen in {c.number for c in similar} else "",
        }, final=True, similar=similar)  # fmt: skip
        return _render_step(request, place, second_step, similar=similar)

    # Step 2 scores the similar cases only to check a chosen 附议 or to show the step again.
    found: list[list[Case]] = []
    if request.POST.get("join"):
        found.append(public_cases.similar(place, region, category, text))
    form = _opinion_form(place, request.POST, request.FILES, final=True,
                         similar=found[0] if found else [])  # fmt: skip
    if not form.is_valid():
        found[:] = found or [public_cases.similar(place, region, category, text)]
        return _render_step(request, place, form, similar=found[0])
    return _file(request, place, form, found=found)


def _file(request: HttpRequest, place: public_cases.Place, form: OpinionForm,
          *, found: list[list[Case]]) -> HttpResponse:  # fmt: skip
    """Files a valid step 2: a new opinion acknowledged, or a 附议 (CASE-1, CASE-2). ``found``
    holds the similar cases when scored already; they are scored only to show the step again."""
    data = form.cleaned_data
    region = place.region_for(data.get("village"))
    category, text = data["category"], data["text"]

    def similar_now() -> list[Case]:
        if not found:
            found.append(public_cases.similar(place, region, category, text))
        return found[0]

    key = data["key"]
    # Counted up front, in one round trip; a retry of a filed form is never refused nor counted
    # (looked up only past the limit: the service looks the key up once).
    now = time.time()
    counted = flood.take_filing(request, now)
    if not counted and not _filed_before(key):
        notice = str(_("提交太频繁了，请稍等几分钟再提交。您填写的内容已保留。"))
        return _render_step(request, place, form, similar=similar_now(), status=429, notice=notice)
    created = False
    try:
        done = _submit(place, data, region=region)
        created = done.created
    except ValidationError as error:
        _add_service_errors(form, error)
        return _render_step(request, place, form, similar=similar_now())
    except (Conflict, Case.DoesNotExist) as error:
        message = getattr(error, "message", "") or _(
            "该问题已办结，不能再附议，请直接提交您的意见。"
        )
        form.add_error("join", str(message))
        return _render_step(request, place, form, similar=similar_now(), status=409)
    finally:
        if counted and not created:
            flood.give_back_filing(request, now)
    if isinstance(done, intake.Acknowledged):
        return _acknowledgement(request, place, done)
    return _receipt(request, place, done)


def _submit(place: public_cases.Place, data: dict[str, Any],
            *, region: Region) -> services.Receipt | intake.Acknowledged:  # fmt: skip
    """A 附议 joins its case; an opinion with photos is filed at once; any other is
    acknowledged by one INSERT and registered after (decision 0010)."""
    if data.get("join"):
        return services.second(
            case=Case.objects.get(number=data["join"]),
            name=data["name"],
            phone=data["phone"],
            anonymous=data["anonymous"],
            notify_by_sms=data["notify_by_sms"],
            submission_key=data["key"],
        )
    opinion = services.Intake(
        channel=place.channel,
        region=region,
        category=data["category"],
        text=data["text"],
        station=place.station,
        deputy=place.deputy,
        place=data["place"],
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        name=data["name"],
        phone=data["phone"],
        anonymous=data["anonymous"],
        notify_by_sms=data["notify_by_sms"],
        submission_key=data["key"],
        photos=data["photos"],
        congress=place.congress_of(region),
    )
    if opinion.photos:  # photos are checked and stored with the case, at once
        return services.file_case(intake=opinion)
    return intake.receive(opinion)


def _number(value: Any) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None


def _similar_while_typing(request: HttpRequest, place: public_cases.Place) -> HttpResponse:
    """Step 1's live check (htmx, debounced): similar open cases nearby for what the citizen
    has typed so far, with the 附议 choice; their masked texts only (CASE-2). Nothing is
    written; past the address's limit no suggestions are shown. Without JavaScript the same
    list comes on step 2."""
    found: list[Case] = []
    if flood.may_check_similar(request):
        category = place.categories().filter(pk=_number(request.POST.get("category")) or 0).first()
        text = str(request.POST.get("text") or "")[:TEXT_MAX]
        if category is not None and text.strip():
            region = place.region_for(_number(request.POST.get("village")))
            found = public_cases.similar(place, region, category, text)
    context = {
        "similar": public_cases.similar_records(found),
        "chosen": str(request.POST.get("join") or ""),
        "live": True,
    }
    return _private(render(request, "portal/_similar.html", context))


def _filed_before(key: str) -> bool:
    return (
        intake.already(key) is not None or CaseCitizen.objects.filter(submission_key=key).exists()
    )


def _receipt(
    request: HttpRequest, place: public_cases.Place, receipt: services.Receipt
) -> HttpResponse:
    return _receipt_page(
        request,
        place,
        number=receipt.case.number,
        token=receipt.token,
        pin=receipt.pin,
        seconded=receipt.citizen.joined == CaseCitizen.Joined.SECONDED,
        due=receipt.case.due_at,
        retry=not receipt.created,
    )


def _acknowledgement(
    request: HttpRequest, place: public_cases.Place, acknowledged: intake.Acknowledged
) -> HttpResponse:
    """The receipt of an acknowledged opinion: its number, link and PIN at once (CASE-1). The
    first deadline is shown only when the case is already registered (an eager task)."""
    due = None
    if settings.CELERY_TASK_ALWAYS_EAGER:
        due = (
            Case.objects.filter(number=acknowledged.number).values_list("due_at", flat=True).first()
        )
    return _receipt_page(
        request,
        place,
        number=acknowledged.number,
        token=acknowledged.token,
        pin=acknowledged.pin,
        seconded=False,
        due=due,
        retry=not acknowledged.created,
    )


def _receipt_page(request: HttpRequest, place: public_cases.Place, *, number: str, token: str,
                  pin: str, seconded: bool, due: Any, retry: bool) -> HttpResponse:  # fmt: skip
    path = reverse("portal:tracking", kwargs={"token": token})
    context = {
        "place": place,
        "number": number,
        "pin": pin,
        "tracking_path": path,
        "tracking_url": _tracking_url(token),
        # The link's QR code is an image the browser fetches after the receipt (issue 7: the
        # acknowledgement does not wait for its drawing).
        "qr_path": reverse("portal:tracking_qr", kwargs={"token": token}),
        "seconded": seconded,
        "due": due,
        "retry": retry,
    }
    return _private(render(request, "portal/receipt.html", context))


def _tracking_url(token: str) -> str:
    path = reverse("portal:tracking", kwargs={"token": token})
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


# A fixed mask: a valid QR code drawn about 4x cheaper than the best of eight (issue 7).
RECEIPT_QR_MASK = 0


@_portal_view
def tracking_qr(request: HttpRequest, token: str) -> HttpResponse:
    """The QR code of a tracking link, for the receipt (CASE-1). It draws the link it is given
    and reads nothing: it tells no one whether the link exists. Kept by the citizen's browser
    only (the link is secret)."""
    svg = qr_svg(_tracking_url(token), scale=8, title=str(_("查询二维码")), mask=RECEIPT_QR_MASK)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@_form_view
def deputy_opinion(request: HttpRequest, key: str) -> HttpResponse:
    place = public_cases.place_for_deputy(key)
    if place is None:  # a former deputy: his page leads to his station (CASE-12)
        page = selectors.deputy_page(key)
        if page.stations:
            return redirect("portal:station_opinion", key=page.stations[0].key)
        raise Http404
    return _opinion(request, place)


@_form_view
def station_opinion(request: HttpRequest, key: str) -> HttpResponse:
    return _opinion(request, public_cases.place_for_station(key))


@_form_view
def opinion(request: HttpRequest) -> HttpResponse:
    """The general form: pick the place down to the village or community, then write."""
    region = public_cases.pickable(request.GET.get("r")) if request.GET.get("r") else None
    children = public_cases.pickable_children(region)
    stop_here = request.GET.get("here") == "1" and region is not None
    if region is None or not public_cases.can_file_in(region) or (children and not stop_here):
        if request.method == "POST":
            raise Http404
        context = {
            "region": region,
            "trail": public_cases.region_trail(region) if region is not None else [],
            "children": children,
            "can_stop": region is not None
            and region.level >= Region.Level.TOWNSHIP
            and public_cases.can_file_in(region),
        }
        return render(request, "portal/opinion_place.html", context)
    return _opinion(request, public_cases.place_for_region(region))


# --- Tracking (CASE-7, CASE-9) ----------------------------------------------------------------


def _citizen(token: str) -> CaseCitizen:
    citizen = services.find_by_token(token)
    if citizen is None:
        raise Http404
    return citizen


@_form_view
def tracking(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's own case by his secret link; rating while it awaits his verdict. An
    opinion acknowledged but not registered yet says so (decision 0010)."""
    citizen = services.find_by_token(token)
    if citizen is None:
        pending = intake.pending_by_token(token)
        if pending is not None:
            return _pending(request, pending)
        citizen = _citizen(token)  # registered meanwhile, or 404
    form = RatingForm()
    status = 200
    if request.method == "POST":
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                services.rate(
                    who=Who.citizen(citizen.pk),
                    case=citizen.case,
                    rating=form.cleaned_data["rating"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for name, errors in getattr(error, "error_dict", {None: error}).items():
                    form.add_error(name if name in form.fields else None, errors)
            except (Conflict, NotAllowed):
                form.add_error(None, _("这件意见现在不在评价阶段，请刷新页面查看。"))
                status = 409
            else:
                return redirect(request.path)
        status = status if status != 200 else 400
    context = {
        "case": public_cases.tracking(citizen),
        "form": form,
        "token": token,
        "by_link": True,
        "rate_here": True,
    }
    return _private(render(request, "portal/case.html", context, status=status))


@_form_view
def track(request: HttpRequest) -> HttpResponse:
    """查询: how to follow an opinion, and a lookup by case number and PIN (throttled); the
    case found may be rated there too (CASE-7) — the number and PIN come back with the rating
    and are checked again, under the same limits."""
    back_url = ""
    for param, name in (("d", "portal:deputy"), ("s", "portal:station")):
        key = request.GET.get(param, "")
        if _KEY.match(key):
            back_url = reverse(name, kwargs={"key": key})
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        number, pin = form.cleaned_data["number"], form.cleaned_data["pin"]
        if not flood.may_look_up(request, number):
            form.add_error(None, _("查询次数太多，请一小时后再试，或打电话到联络站查询。"))
            status = 429
        else:
            case = Case.objects.filter(number=number).first()
            citizen = services.check_pin(case, pin) if case is not None else None
            pending = intake.pending_by_pin(number, pin) if case is None else None
            if pending is not None:
                return _pending(request, pending, back_url=back_url)
            if citizen is None:
                flood.count_lookup_failure(request, number)
                form.add_error(None, _("编号或查询密码不正确，请核对后重新输入。"))
                status = 400
            else:
                return _looked_up(request, citizen, number, pin)
    elif request.method == "POST":
        status = 400
    context = {"form": form, "back_url": back_url}
    return _private(render(request, "portal/track.html", context, status=status))


def _pending(request: HttpRequest, pending: Any, *, back_url: str = "") -> HttpResponse:
    """已受理，正在登记: the opinion is acknowledged, its case not filed yet (decision 0010)."""
    context = {"number": pending.number, "received": pending.received_at, "back_url": back_url}
    return _private(render(request, "portal/pending.html", context))


def _looked_up(request: HttpRequest, citizen: CaseCitizen, number: str, pin: str) -> HttpResponse:
    """The case found by number and PIN; with ``rate=1`` in the POST, the citizen's rating."""
    form = RatingForm(request.POST if request.POST.get("rate") == "1" else None)
    status, notice = 200, ""
    if form.is_bound:
        if form.is_valid():
            try:
                services.rate(
                    who=Who.citizen(citizen.pk),
                    case=citizen.case,
                    rating=form.cleaned_data["rating"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for name, errors in getattr(error, "error_dict", {None: error}).items():
                    form.add_error(name if name in form.fields else None, errors)
                status = 400
            except (Conflict, NotAllowed):
                form.add_error(None, _("这件意见现在不在评价阶段，请重新查询查看。"))
                status = 409
            else:
                citizen.refresh_from_db()
                form, notice = RatingForm(), str(_("感谢您的评价。"))
        else:
            status = 400
    context = {
        "case": public_cases.tracking(citizen),
        "form": form,
        "by_link": False,
        "rate_here": True,
        "lookup": {"number": number, "pin": pin},
        "notice": notice,
    }
    return _private(render(request, "portal/case.html", context, status=status))


_KEY = re.compile(r"^[A-Za-z0-9_-]{16,32}$")


# --- Photos (CASE-1, SEC-2) -------------------------------------------------------------------


def _photo_response(photo: CasePhoto) -> HttpResponse:
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store, max-age=0"
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.jpg"'
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Referrer-Policy"] = "no-referrer"
    return cast(HttpResponse, response)


@public
@require_safe
def tracking_photo(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    """A photo of the case, for the holder of that case's tracking link."""
    citizen = _citizen(token)
    photo = CasePhoto.objects.filter(pk=pk, case_id=citizen.case_id).first()
    if photo is None:
        raise Http404
    return _photo_response(photo)


@requires(Perm.VIEW_CASES)
@require_safe
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo of a case, for staff whose reach includes the case; anyone else: 404."""
    actor = request.actor  # type: ignore[attr-defined]
    return _photo_response(get_in_reach_or_404(actor, CasePhoto, pk=pk))
