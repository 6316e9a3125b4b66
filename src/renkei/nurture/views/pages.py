"""Email pages for marketing: sends, templates (edit, preview, test send), the
suppression list, lawful exceptions and the sender identity."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from renkei.contacts.models import Contact
from renkei.core.choices import Role
from renkei.core.permissions import role_required
from renkei.nurture import compose, rendering, services
from renkei.nurture.audience import from_params
from renkei.nurture.choices import MessageStatus, SendStatus
from renkei.nurture.forms import (
    LawfulExceptionForm,
    PreviewForm,
    SenderIdentityForm,
    SendForm,
    SuppressionForm,
    TemplateForm,
)
from renkei.nurture.models import (
    EmailSend,
    EmailTemplate,
    LawfulException,
    SenderIdentity,
    Suppression,
)
from renkei.web.htmx import render_page

MARKETING = (Role.MARKETING,)


def find_contact(query: str) -> Contact | None:
    """A contact by number, exact email, or the first search match."""
    query = query.strip()
    if not query:
        return None
    contacts = Contact.objects.select_related("account")
    if query.isdigit():
        return contacts.filter(pk=int(query)).first()
    if "@" in query:
        found = contacts.filter(email__iexact=query).first()
        if found:
            return found
    return contacts.search(query).first()


def send_counts(send: EmailSend) -> dict[str, int]:
    rows = send.messages.values("status").annotate(n=Count("id"))
    counts = dict.fromkeys(MessageStatus.values, 0)
    counts.update({row["status"]: row["n"] for row in rows})
    counts["total"] = sum(counts[s] for s in MessageStatus.values)
    counts["opened"] = send.messages.filter(opened_at__isnull=False).count()
    counts["clicked"] = send.messages.filter(clicked_at__isnull=False).count()
    return counts


# --- sends ----------------------------------------------------------------------------
@role_required(*MARKETING)
@require_GET
def send_list(request: HttpRequest) -> HttpResponse:
    sends = (
        EmailSend.objects.select_related("template", "created_by")
        .annotate(
            total=Count("messages"),
            sent=Count("messages", filter=Q(messages__status=MessageStatus.SENT)),
            skipped=Count("messages", filter=Q(messages__status=MessageStatus.SKIPPED)),
            failed=Count("messages", filter=Q(messages__status=MessageStatus.FAILED)),
            opened=Count("messages", filter=Q(messages__opened_at__isnull=False)),
        )
        .order_by("-scheduled_at", "-id")
    )
    page = Paginator(sends, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    sender = SenderIdentity.load()
    return render(
        request, "nurture/send_list.html", {"page": page, "sender_missing": sender.missing}
    )


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def send_new(request: HttpRequest) -> HttpResponse:
    """A new send to the contacts matching the contacts-list filters in the query string."""
    audience = from_params(request.GET, request.user)  # type: ignore[arg-type]
    initial: dict[str, Any] = {}
    if request.GET.get("template"):
        initial["template"] = request.GET["template"]
    form = SendForm(request.POST or None, initial=initial)
    audience_errors = audience.errors()
    if request.method == "POST" and form.is_valid() and not audience_errors:
        try:
            send = services.create_send(
                actor=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                template=form.cleaned_data["template"],
                audience=audience,
                scheduled_at=form.cleaned_data["scheduled_at"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The send was scheduled."))
            return redirect("nurture:send_detail", pk=send.pk)
    contacts = audience.contacts()
    checks = services.eligibility(contacts.only("pk", "email", "consent_status")[:2000])
    eligible = sum(1 for c in checks.values() if not c.skip_reason)
    return render(
        request,
        "nurture/send_new.html",
        {
            "form": form,
            "audience": audience,
            "audience_errors": audience_errors,
            "audience_count": contacts.count(),
            "eligible_sample": eligible,
            "sample_size": len(checks),
            "query": request.GET.urlencode(),
            "sender_missing": SenderIdentity.load().missing,
        },
    )


@role_required(*MARKETING)
@require_GET
def send_detail(request: HttpRequest, pk: int) -> HttpResponse:
    send = get_object_or_404(EmailSend.objects.select_related("template", "created_by"), pk=pk)
    status = request.GET.get("status", "")
    recipients = send.messages.select_related("contact").order_by("id")
    if status in MessageStatus.values:
        recipients = recipients.filter(status=status)
    page = Paginator(recipients, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render_page(
        request,
        "nurture/send_detail.html",
        {
            "send": send,
            "counts": send_counts(send),
            "page": page,
            "status": status,
            "statuses": MessageStatus.choices,
            "running": send.status in (SendStatus.SCHEDULED, SendStatus.SENDING),
            "sender_missing": SenderIdentity.load().missing,
        },
        partial="progress",
    )


@role_required(*MARKETING)
@require_POST
def send_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    send = get_object_or_404(EmailSend, pk=pk)
    try:
        services.cancel_send(send, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The send was cancelled."))
    return redirect("nurture:send_detail", pk=pk)


# --- templates ------------------------------------------------------------------------
@role_required(*MARKETING)
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    templates = EmailTemplate.objects.annotate(send_count=Count("sends")).order_by("name", "id")
    return render(request, "nurture/template_list.html", {"templates": templates})


def _template_edit(request: HttpRequest, template: EmailTemplate | None) -> HttpResponse:
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_template(
                template,
                actor=request.user,  # type: ignore[arg-type]
                **{k: form.cleaned_data[k] for k in TemplateForm.Meta.fields},
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The template was saved."))
            return redirect("nurture:template_detail", pk=saved.pk)
    return render(
        request,
        "nurture/template_edit.html",
        {"template_obj": template, "form": form, "tokens": rendering.TOKENS},
    )


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def template_new(request: HttpRequest) -> HttpResponse:
    return _template_edit(request, None)


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _template_edit(request, get_object_or_404(EmailTemplate, pk=pk))


def _preview_context(request: HttpRequest, template: EmailTemplate) -> dict[str, Any]:
    form = PreviewForm(request.GET or {"language": template.language_for("ja")})
    contact = None
    language = template.language_for("ja")
    not_found = False
    if form.is_valid():
        language = form.cleaned_data["language"]
        if form.cleaned_data["contact"]:
            contact = find_contact(form.cleaned_data["contact"])
            not_found = contact is None
    sender = SenderIdentity.load()
    rendered = compose.render_for(template, contact, language=language, sender=sender, track=False)
    return {
        "template_obj": template,
        "preview_form": form,
        "contact": contact,
        "not_found": not_found,
        "rendered": rendered,
        "sender_missing": sender.missing,
        "shown_language": rendered.language,
    }


@role_required(*MARKETING)
@require_GET
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The template with its preview (for a chosen contact and language) and test send."""
    template = get_object_or_404(EmailTemplate, pk=pk)
    return render_page(
        request,
        "nurture/template_detail.html",
        _preview_context(request, template),
        partial="preview",
    )


@role_required(*MARKETING)
@require_POST
def template_test(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(EmailTemplate, pk=pk)
    language = request.POST.get("language", "ja")
    language = language if language in ("ja", "en") else "ja"
    contact = find_contact(request.POST.get("contact", ""))
    try:
        address = services.send_test(
            template,
            actor=request.user,
            language=language,
            contact=contact,  # type: ignore[arg-type]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A test email was sent to %(email)s.") % {"email": address})
    query = request.POST.get("query", "")
    url = request.path.removesuffix("test/")
    return redirect(f"{url}?{query}" if query else url)


# --- suppression and lawful exceptions ------------------------------------------------
@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def suppression_list(request: HttpRequest) -> HttpResponse:
    form = SuppressionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.suppress(
            form.cleaned_data["email"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            actor=request.user,  # type: ignore[arg-type]
        )
        messages.success(
            request,
            _("%(email)s will receive no marketing email.") % {"email": form.cleaned_data["email"]},
        )
        return redirect("nurture:suppressions")
    q = request.GET.get("q", "").strip()
    rows = Suppression.objects.select_related("created_by")
    if q:
        rows = rows.filter(email__icontains=q.lower())
    page = Paginator(rows, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "nurture/suppression_list.html", {"form": form, "page": page, "q": q})


@role_required(*MARKETING)
@require_POST
def suppression_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Suppression, pk=pk)
    services.unsuppress(row, actor=request.user)  # type: ignore[arg-type]
    messages.success(
        request,
        _("%(email)s was removed from the suppression list. Consent is still required to send.")
        % {"email": row.email},
    )
    return redirect("nurture:suppressions")


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def exception_list(request: HttpRequest) -> HttpResponse:
    form = LawfulExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = find_contact(form.cleaned_data["contact"])
        if contact is None:
            form.add_error("contact", _("No contact matches."))
        else:
            try:
                services.record_lawful_exception(
                    contact,
                    basis=form.cleaned_data["basis"],
                    evidence=form.cleaned_data["evidence"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The lawful exception was recorded."))
                return redirect("nurture:exceptions")
    rows = LawfulException.objects.select_related("contact", "recorded_by")
    page = Paginator(rows, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "nurture/exception_list.html", {"form": form, "page": page})


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def sender_identity(request: HttpRequest) -> HttpResponse:
    sender = SenderIdentity.load()
    form = SenderIdentityForm(request.POST or None, instance=sender)
    if request.method == "POST" and form.is_valid():
        services.save_sender_identity(
            actor=request.user,  # type: ignore[arg-type]
            **{k: form.cleaned_data[k] for k in SenderIdentityForm.Meta.fields},
        )
        messages.success(request, _("The sender identity was saved."))
        return redirect("nurture:sender")
    return render(request, "nurture/sender.html", {"form": form, "sender": sender})
