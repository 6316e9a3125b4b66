"""Privacy pages: the requests list and intake, one request (find the person's contacts,
export what Renkei holds, stop use, erase), the privacy notice versions, and the public
notice page that forms link to.

Who may do what: managers and admins take in and follow requests (see contacts that
match, update status); only admins export a disclosure, stop use, erase, and publish
the privacy notice — those act on a person's data everywhere.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.contacts.models import Contact
from renkei.core.choices import Role
from renkei.core.permissions import role_required
from renkei.privacy import services
from renkei.privacy.choices import OPEN_STATUSES, RequestKind
from renkei.privacy.forms import ContactSearchForm, NoticeForm, RequestForm
from renkei.privacy.models import DataSubjectRequest, PrivacyNotice, TombstoneHit
from renkei.web.htmx import render_page

FOLLOWERS = (Role.MANAGER,)  # managers and admins (User.has_role)
ADMINS = (Role.ADMIN,)
FILTERS = ("open", "overdue", "closed", "all")


def _form_errors(form: RequestForm, exc: services.ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@role_required(*FOLLOWERS)
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    today = services.today()
    shown = request.GET.get("show", "open")
    if shown not in FILTERS:
        shown = "open"
    requests = DataSubjectRequest.objects.select_related("handler")
    if shown == "open":
        requests = requests.open().order_by("due_on", "id")
    elif shown == "overdue":
        requests = requests.overdue(today).order_by("due_on", "id")
    elif shown == "closed":
        requests = requests.exclude(status__in=OPEN_STATUSES)
    page = Paginator(requests, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    hits = TombstoneHit.objects.filter(reviewed_at__isnull=True).select_related(
        "tombstone__request"
    )[:50]
    return render(
        request,
        "privacy/request_list.html",
        {
            "page": page,
            "shown": shown,
            "today": today,
            "overdue_count": DataSubjectRequest.objects.overdue(today).count(),
            "open_count": DataSubjectRequest.objects.open().count(),
            "hits": hits,
            "is_admin": request.user.has_role(*ADMINS),
        },
    )


@role_required(*FOLLOWERS)
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(
        request.POST or None,
        initial={"received_at": timezone.localtime(), "handler": request.user},
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k in services.REQUEST_FIELDS}
        try:
            created = services.create_request(actor=request.user, **values)
        except services.ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("The request was recorded."))
            return redirect("privacy:request_detail", created.pk)
    status = 422 if form.errors else 200
    return render(request, "privacy/request_form.html", {"form": form}, status=status)


def _detail(
    request: HttpRequest,
    dsar: DataSubjectRequest,
    *,
    form: RequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    search = ContactSearchForm(
        request.GET
        if "search" in request.GET
        else {
            "email": dsar.requester_email,
            "phone": dsar.requester_phone,
            "name": dsar.requester_name,
        }
    )
    candidates = (
        services.find_contacts(**{k: v for k, v in search.cleaned_data.items() if v})
        if search.is_valid()
        else []
    )
    linked = list(dsar.contacts.select_related("account").order_by("pk"))
    linked_ids = {c.pk for c in linked}
    context = {
        "dsar": dsar,
        "form": form or RequestForm(instance=dsar),
        "search": search,
        "candidates": [c for c in candidates if c.contact.pk not in linked_ids],
        "linked": linked,
        "events": dsar.events.select_related("actor")[:100],
        "today": services.today(),
        "is_admin": request.user.has_role(*ADMINS),
        "can_erase": dsar.kind == RequestKind.ERASURE and dsar.erased_at is None,
        "can_stop": dsar.kind in (RequestKind.STOP_USE, RequestKind.ERASURE),
    }
    return render_page(
        request, "privacy/request_detail.html", context, partial="candidates", status=status
    )


@role_required(*FOLLOWERS)
@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dsar = get_object_or_404(DataSubjectRequest, pk=pk)
    if request.method == "POST":
        form = RequestForm(request.POST, instance=DataSubjectRequest.objects.get(pk=pk))
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k in services.REQUEST_FIELDS}
            try:
                services.update_request(dsar, actor=request.user, **values)
            except services.ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The request was saved."))
                return redirect("privacy:request_detail", pk)
        return _detail(request, dsar, form=form, status=422)
    return _detail(request, dsar)


@role_required(*FOLLOWERS)
@require_POST
def request_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Add (`add`) or remove (`remove`) contacts the request is about."""
    dsar = get_object_or_404(DataSubjectRequest, pk=pk)
    current = set(dsar.contacts.values_list("pk", flat=True))
    try:
        add = {int(v) for v in request.POST.getlist("add")}
        remove = {int(v) for v in request.POST.getlist("remove")}
    except ValueError:
        messages.error(request, _("Choose contacts from the list."))
        return redirect("privacy:request_detail", pk)
    wanted = (current | add) - remove
    contacts = list(Contact.objects.filter(pk__in=wanted))
    services.link_contacts(dsar, contacts, actor=request.user)
    if add:
        messages.success(request, _("The contacts were linked to the request."))
    return redirect("privacy:request_detail", pk)


@role_required(*ADMINS)
@require_POST
def request_export(request: HttpRequest, pk: int) -> HttpResponse:
    dsar = get_object_or_404(DataSubjectRequest, pk=pk)
    try:
        content, name = services.export_disclosure(
            dsar, actor=request.user, fmt=request.POST.get("format", "")
        )
    except services.PrivacyError as exc:
        messages.error(request, exc.message)
        return redirect("privacy:request_detail", pk)
    kind = "application/json" if name.endswith(".json") else "application/zip"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(*ADMINS)
@require_POST
def request_stop_use(request: HttpRequest, pk: int) -> HttpResponse:
    dsar = get_object_or_404(DataSubjectRequest, pk=pk)
    try:
        changed = services.stop_use(dsar, actor=request.user)
    except services.PrivacyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Marketing use stopped: %(count)s contacts are now opted out.") % {"count": changed},
        )
    return redirect("privacy:request_detail", pk)


@role_required(*ADMINS)
@require_POST
def request_erase(request: HttpRequest, pk: int) -> HttpResponse:
    dsar = get_object_or_404(DataSubjectRequest, pk=pk)
    if request.POST.get("confirm") != str(dsar.pk):
        messages.error(request, _("Type the request number to confirm the erasure."))
        return redirect("privacy:request_detail", pk)
    try:
        summary = services.erase_request(dsar, actor=request.user)
    except services.PrivacyError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(count)s contacts were erased everywhere Renkei holds them.")
            % {"count": len(summary)},
        )
    return redirect("privacy:request_detail", pk)


@role_required(*ADMINS)
@require_POST
def hit_review(request: HttpRequest, pk: int) -> HttpResponse:
    """Close an "erased person seen again" notice; for a held form submission,
    optionally discard its data."""
    hit = get_object_or_404(TombstoneHit, pk=pk, reviewed_at__isnull=True)
    services.review_hit(hit, actor=request.user, discard=request.POST.get("discard") == "1")
    messages.success(request, _("The notice was closed."))
    return redirect("privacy:requests")


@role_required(*ADMINS)
@require_http_methods(["GET", "POST"])
def notices(request: HttpRequest) -> HttpResponse:
    current = services.current_notice()
    initial = (
        {f: getattr(current, f) for f in ("title_ja", "title_en", "text_ja", "text_en")}
        if current
        else {
            "title_ja": "個人情報の取り扱いについて",
            "title_en": "Privacy notice",
            "text_ja": services.default_notice_text("ja"),
            "text_en": services.default_notice_text("en"),
        }
    )
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        notice = services.publish_notice(actor=request.user, **form.cleaned_data)
        messages.success(
            request, _("Version %(version)s of the privacy notice is now shown on forms.")
            % {"version": notice.version}
        )  # fmt: skip
        return redirect("privacy:notices")
    return render(
        request,
        "privacy/notices.html",
        {
            "form": form,
            "current": current,
            "versions": PrivacyNotice.objects.select_related("created_by")[:50],
        },
        status=422 if form.errors else 200,
    )


@login_not_required
@require_GET
def public_notice(request: HttpRequest, version: int | None = None) -> HttpResponse:
    """The privacy notice as the public sees it (linked from every form); a past version
    by its number."""
    if version is None:
        notice = services.current_notice()
    else:
        notice = PrivacyNotice.objects.filter(version=version).first()
    if notice is None:
        raise Http404
    language = request.GET.get("lang", "")
    if language not in ("ja", "en"):
        language = translation.get_language() or "ja"
    return render(
        request,
        "privacy/public/notice.html",
        {
            "notice": notice,
            "title": notice.title_for(language),
            "text": notice.text_for(language),
            "language": language,
            "is_current": version is None or notice == services.current_notice(),
        },
    )
