"""The form builder for marketing: list, create and edit forms, preview them, copy their
embed snippets, follow their submissions; and the tracking settings with the script snippet."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from renkei.core.choices import Role
from renkei.core.permissions import role_required
from renkei.marketing import services
from renkei.marketing.choices import SubmissionStatus
from renkei.marketing.forms import FieldFormSet, FormSettingsForm, TrackingSettingsForm
from renkei.marketing.http import own_origin
from renkei.marketing.models import Campaign, Form, FormSubmission, TrackingSettings
from renkei.marketing.schemas import parse_fields

MARKETING = (Role.MARKETING,)

STARTER_FIELDS = [
    {"key": "company", "mapping": "company", "label_ja": "会社名", "label_en": "Company",
     "type": "text", "required": True},
    {"key": "family_name", "mapping": "family_name", "label_ja": "姓",
     "label_en": "Family name", "type": "text", "required": True},
    {"key": "given_name", "mapping": "given_name", "label_ja": "名", "label_en": "Given name",
     "type": "text", "required": False},
    {"key": "email", "mapping": "email", "label_ja": "メールアドレス", "label_en": "Email",
     "type": "email", "required": True},
    {"key": "phone", "mapping": "phone", "label_ja": "電話番号", "label_en": "Phone",
     "type": "tel", "required": False},
]  # fmt: skip


@role_required(*MARKETING)
@require_GET
def form_list(request: HttpRequest) -> HttpResponse:
    forms = Form.objects.annotate(
        submission_count=Count("submissions"),
        failed_count=Count("submissions", filter=Q(submissions__status=SubmissionStatus.FAILED)),
    ).order_by("name", "id")
    return render(request, "marketing/form_list.html", {"forms": forms})


def _edit(request: HttpRequest, form: Form | None) -> HttpResponse:
    initial_fields = form.fields if form else STARTER_FIELDS
    if request.method == "POST":
        settings_form = FormSettingsForm(request.POST, instance=form)
        fields = FieldFormSet(request.POST, prefix="fields")
        if settings_form.is_valid() and fields.is_valid():
            values = {
                k: v
                for k, v in settings_form.cleaned_data.items()
                if k not in ("consent_ja", "consent_en")
            }
            try:
                saved = services.save_form(
                    form,
                    actor=request.user,  # type: ignore[arg-type]
                    fields=fields.field_definitions(),
                    consent_ja=settings_form.cleaned_data["consent_ja"],
                    consent_en=settings_form.cleaned_data["consent_en"],
                    **values,
                )
            except ValidationError as exc:
                settings_form.add_error(None, exc)
            else:
                messages.success(request, _("The form was saved."))
                return redirect("marketing:form_detail", pk=saved.pk)
    else:
        settings_form = FormSettingsForm(instance=form)
        fields = FieldFormSet(initial=initial_fields, prefix="fields")
    return render(
        request,
        "marketing/form_edit.html",
        {
            "form_obj": form,
            "form": settings_form,
            "fields": fields,
            "campaign_codes": Campaign.objects.order_by("-start_date", "name").values_list(
                "utm_campaign", "name"
            )[:200],
        },
    )


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def form_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def form_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Form, pk=pk))


@role_required(*MARKETING)
@require_GET
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Preview, embed snippets and the latest submissions of one form."""
    form = get_object_or_404(Form.objects.select_related("consent_text"), pk=pk)
    base = own_origin(request)
    hosted = base + reverse("marketing:form_page", args=[form.slug])
    embed_js = base + reverse("marketing:form_embed", args=[form.slug])
    tracking_js = base + reverse("marketing:tracking_script")
    snippets = {
        "script": (
            f'<div data-renkei-form="{form.slug}"></div>\n'
            f'<script src="{tracking_js}" async></script>\n'
            f'<script src="{embed_js}"></script>'
        ),
        "iframe": (
            f'<iframe src="{hosted}?embed=1" title="{escape(form.name)}" '
            'style="width:100%;min-height:640px;border:0" loading="lazy"></iframe>'
        ),
        "hosted": hosted,
    }
    submissions = form.submissions.select_related("contact")
    page = Paginator(submissions, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "marketing/form_detail.html",
        {
            "form_obj": form,
            "fields": parse_fields(form.fields),
            "snippets": snippets,
            "page": page,
            "preview_url": reverse("marketing:form_page", args=[form.slug]) + "?embed=1",
        },
    )


@role_required(*MARKETING)
@require_GET
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_object_or_404(FormSubmission.objects.select_related("form", "contact"), pk=pk)
    return render(request, "marketing/submission_detail.html", {"submission": submission})


@role_required(*MARKETING)
@require_http_methods(["GET", "POST"])
def tracking_settings(request: HttpRequest) -> HttpResponse:
    config = TrackingSettings.load()
    form = TrackingSettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The tracking settings were saved."))
        return redirect("marketing:tracking_settings")
    script = own_origin(request) + reverse("marketing:tracking_script")
    snippet = (
        "<script>window.renkei = window.renkei || {q: [], "
        'track: function () { this.q.push(["track", arguments]); }, '
        'consent: function () { this.q.push(["consent", arguments]); }};</script>\n'
        f'<script src="{script}" async></script>'
    )
    return render(request, "marketing/tracking_settings.html", {"form": form, "snippet": snippet})
