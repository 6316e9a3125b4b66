"""The data steward's duplicate pages: the review queue, one pair with the merge and
"not duplicates" decisions, and the rule tester that runs the engine on typed-in records.

Every write goes through renkei.contacts.dedup.services; the tester writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from renkei.contacts.choices import SourceChannel
from renkei.contacts.dedup import services as dedup_services
from renkei.contacts.dedup.choices import DuplicateKind, DuplicateStatus
from renkei.contacts.dedup.engine import Decision, Reason, compare
from renkei.contacts.forms import DedupTestForm, DuplicateFilterForm, DuplicateMergeForm
from renkei.contacts.models import Account, Contact, DuplicateCandidate
from renkei.core.choices import Role
from renkei.core.permissions import role_required
from renkei.web.htmx import render_page
from renkei.web.templatetags.renkei_ui import phone as phone_display

# Data stewardship: marketing keeps the database clean. Admins and managers pass every
# role check that does not name Role.ADMIN (User.has_role), so naming it would lock
# managers out.
STEWARDS = (Role.MARKETING,)

# The engine's reasons are stable English phrases; these are their translatable labels.
REASON_LABELS = {
    Reason.SAME_CORPORATE_NUMBER: gettext_lazy("same corporate number"),
    Reason.DIFFERENT_CORPORATE_NUMBERS: gettext_lazy("different corporate numbers"),
    Reason.SAME_NAME: gettext_lazy("same name"),
    Reason.SAME_NAME_BRANCH: gettext_lazy("same name apart from a branch"),
    Reason.FORM_MISSING: gettext_lazy("法人格 missing on one side"),
    Reason.DIFFERENT_FORMS: gettext_lazy("different 法人格"),
    Reason.BEFORE_VS_AFTER: gettext_lazy("前株 vs 後株"),
    Reason.DIFFERENT_DOMAINS: gettext_lazy("different domains"),
    Reason.SAME_DOMAIN: gettext_lazy("same domain"),
    Reason.NAME_MATCHES_READING: gettext_lazy("name matches reading"),
    Reason.SAME_READING: gettext_lazy("same reading"),
    Reason.HIRAGANA_VS_KATAKANA: gettext_lazy("hiragana vs katakana"),
    Reason.SIMILAR_NAMES: gettext_lazy("similar names"),
    Reason.SAME_PHONE: gettext_lazy("same phone number"),
    Reason.DIFFERENT_NAMES: gettext_lazy("different names"),
    Reason.NO_EVIDENCE: gettext_lazy("no shared evidence"),
    Reason.SAME_EMAIL: gettext_lazy("same email"),
    Reason.SAME_FREE_MAIL: gettext_lazy("same free-mail address"),
    Reason.ROLE_MAILBOX: gettext_lazy("shared role mailbox"),
    Reason.SWITCHBOARD: gettext_lazy("shared switchboard number"),
    Reason.SAME_LANDLINE: gettext_lazy("same landline number"),
    Reason.SAME_MOBILE: gettext_lazy("same mobile number"),
    Reason.SAME_COMPANY: gettext_lazy("same company"),
    Reason.SIMILAR_COMPANY: gettext_lazy("probably the same company"),
    Reason.DIFFERENT_COMPANY: gettext_lazy("different company"),
    Reason.COMPANY_UNKNOWN: gettext_lazy("company unknown"),
    Reason.SAME_READING_DIFFERENT_KANJI: gettext_lazy("same reading, different kanji"),
    Reason.ROMAJI_MATCHES_READING: gettext_lazy("romaji name matches reading"),
    Reason.PARTIAL_NAME: gettext_lazy("partial name"),
    Reason.SIMILAR_KANJI: gettext_lazy("easily confused kanji"),
    Reason.NAME_ORDER: gettext_lazy("name order differs"),
}
DECISION_COLORS = {
    Decision.MERGE: "green",
    Decision.REVIEW: "yellow",
    Decision.SEPARATE: "secondary",
}

# The fields of the pair page, in order: (field, label). All are merge-service fields.
CONTACT_FIELDS = [
    ("family_name", gettext_lazy("Family name")),
    ("given_name", gettext_lazy("Given name")),
    ("family_name_kana", gettext_lazy("Family name (kana)")),
    ("given_name_kana", gettext_lazy("Given name (kana)")),
    ("email", gettext_lazy("Email")),
    ("phone", gettext_lazy("Phone")),
    ("account", gettext_lazy("Company")),
    ("department", gettext_lazy("Department")),
    ("title", gettext_lazy("Title")),
    ("owner", gettext_lazy("Owner")),
    ("source_channel", gettext_lazy("Source")),
    ("source_campaign", gettext_lazy("Source campaign")),
]
ACCOUNT_FIELDS = [
    ("name", gettext_lazy("Company name")),
    ("name_kana", gettext_lazy("Company name (kana)")),
    ("corporate_number", gettext_lazy("Corporate number (法人番号)")),
    ("website", gettext_lazy("Website")),
    ("domain", gettext_lazy("Domain")),
    ("industry", gettext_lazy("Industry")),
    ("employee_band", gettext_lazy("Employees")),
    ("prefecture", gettext_lazy("Prefecture")),
    ("owner", gettext_lazy("Owner")),
]
# Values the merge treats as blank (the other record's value fills them).
_BLANK_VALUES: dict[str, Any] = {"source_channel": SourceChannel.OTHER}


def reason_labels(reasons: list[str]) -> list[str]:
    return [str(REASON_LABELS.get(reason, reason)) for reason in reasons]


@dataclass
class Summary:
    """One record of a pair as the queue shows it."""

    url: str
    name: str
    kana: str
    company: str
    email: str
    phone: str
    corporate_number: str
    stage: str
    stage_label: str


def _summary(record: Contact | Account | None) -> Summary | None:
    if record is None:
        return None
    if isinstance(record, Contact):
        account = record.account
        return Summary(
            url=reverse("web:contact_detail", args=[record.pk]),
            name=record.full_name,
            kana=record.full_name_kana,
            company=account.name if account else "",
            email=record.email,
            phone=record.phone,
            corporate_number=account.corporate_number if account else "",
            stage=record.lifecycle_stage,
            stage_label=record.get_lifecycle_stage_display(),
        )
    return Summary(
        url=reverse("web:account_detail", args=[record.pk]),
        name=record.name,
        kana=record.name_kana,
        company="",
        email="",
        phone="",
        corporate_number=record.corporate_number,
        stage="",
        stage_label="",
    )


def _pair(candidate: DuplicateCandidate) -> tuple[Any, Any]:
    if candidate.kind == DuplicateKind.CONTACT:
        return candidate.contact_a, candidate.contact_b
    return candidate.account_a, candidate.account_b


@role_required(*STEWARDS)
@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    form = DuplicateFilterForm(request.GET or None)
    candidates = form.apply(DuplicateCandidate.objects.all()).select_related(
        "contact_a__account",
        "contact_b__account",
        "account_a",
        "account_b",
        "decided_by",
    )
    page = Paginator(candidates, settings.CONTACTS_PER_PAGE).get_page(request.GET.get("page"))
    rows = []
    for candidate in page.object_list:
        a, b = _pair(candidate)
        rows.append(
            {
                "candidate": candidate,
                "a": _summary(a),
                "b": _summary(b),
                "reasons": reason_labels(candidate.reasons),
            }
        )
    return render_page(
        request,
        "web/dedup/list.html",
        {"form": form, "page": page, "rows": rows},
        partial="results",
    )


def _display(record: Model, name: str) -> str:
    field = record._meta.get_field(name)
    if field.is_relation:
        related = getattr(record, name)
        if related is None:
            return ""
        return str(getattr(related, "display_name", related))
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    if name == "phone":
        return phone_display(record.phone)
    return str(getattr(record, name) or "")


def _is_blank(name: str, value: Any) -> bool:
    return value is None or value == "" or value == _BLANK_VALUES.get(name, object())


def _field_rows(a: Model, b: Model, fields: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Each field of the pair: both values, whether they differ, and whether the reviewer
    chooses (both filled in, differently) or the merge fills a blank from the other."""
    rows = []
    for name, label in fields:
        attname = a._meta.get_field(name).attname
        value_a, value_b = getattr(a, attname), getattr(b, attname)
        blank_a, blank_b = _is_blank(name, value_a), _is_blank(name, value_b)
        rows.append(
            {
                "name": name,
                "label": label,
                "a": _display(a, name),
                "b": _display(b, name),
                "differs": value_a != value_b,
                "choose": value_a != value_b and not blank_a and not blank_b,
                "filled_from": "b"
                if blank_a and not blank_b
                else "a"
                if blank_b and not blank_a
                else "",
            }
        )
    return rows


def _load_pair(candidate: DuplicateCandidate) -> tuple[Any, Any, list[tuple[str, Any]]]:
    if candidate.kind == DuplicateKind.CONTACT:
        records = Contact.objects.select_related("account", "owner")
        model_fields = CONTACT_FIELDS
        ids = (candidate.contact_a_id, candidate.contact_b_id)
    else:
        records = Account.objects.select_related("owner")
        model_fields = ACCOUNT_FIELDS
        ids = (candidate.account_a_id, candidate.account_b_id)
    found = {r.pk: r for r in records.filter(pk__in=[i for i in ids if i is not None])}
    return found.get(ids[0]), found.get(ids[1]), model_fields


@role_required(*STEWARDS)
@require_http_methods(["GET", "POST"])
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(DuplicateCandidate.objects.select_related("decided_by"), pk=pk)
    a, b, model_fields = _load_pair(candidate)
    complete = a is not None and b is not None
    rows = _field_rows(a, b, model_fields) if complete else []
    conflicts = [(row["name"], row["label"]) for row in rows if row["choose"]]
    form = DuplicateMergeForm(
        request.POST
        if request.method == "POST" and request.POST.get("action") == "merge"
        else None,
        a_id=a.pk if a else 0,
        b_id=b.pk if b else 0,
        conflicts=conflicts,
    )
    for row in rows:
        if row["choose"]:
            row["field"] = form[f"keep_{row['name']}"]
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action")
        actor = request.user
        try:
            if action == "dismiss":
                dedup_services.dismiss_candidate(candidate, actor=actor)  # type: ignore[arg-type]
                messages.success(request, _("The pair was marked as not duplicates."))
                return redirect("web:duplicates")
            if action == "merge" and form.is_valid():
                survivor = dedup_services.merge_candidate(
                    candidate,
                    actor=actor,  # type: ignore[arg-type]
                    survivor_id=form.survivor_id(),
                    field_choices=form.field_choices(),
                )
                messages.success(
                    request, _("Records merged into %(name)s.") % {"name": str(survivor)}
                )
                if isinstance(survivor, Contact):
                    return redirect("web:contact_detail", pk=survivor.pk)
                return redirect("web:account_detail", pk=survivor.pk)
            if action not in ("merge", "dismiss"):
                errors.append(_("Choose Merge or Not duplicates."))
        except dedup_services.MergeError as err:
            errors.append(err.message)
        except IntegrityError:
            errors.append(_("The records could not be merged; nothing was changed."))
        candidate.refresh_from_db()
    context = {
        "candidate": candidate,
        "a": a,
        "b": b,
        "a_summary": _summary(a),
        "b_summary": _summary(b),
        "complete": complete,
        "sides": [("a", _summary(a), a), ("b", _summary(b), b)],
        "rows": rows,
        "form": form,
        "errors": errors,
        "reasons": reason_labels(candidate.reasons),
        "decision_color": DECISION_COLORS.get(candidate.decision, "secondary"),
        "is_open": candidate.status == DuplicateStatus.OPEN,
    }
    status = 422 if errors or form.errors else 200
    return render(request, "web/dedup/detail.html", context, status=status)


@role_required(*STEWARDS)
@require_http_methods(["GET", "POST"])
def duplicate_test(request: HttpRequest) -> HttpResponse:
    form = DedupTestForm(request.POST or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = compare(form.cleaned_data["kind"], form.record("a"), form.record("b"))
    context = {
        "form": form,
        "verdict": verdict,
        "reasons": reason_labels(verdict.reasons) if verdict else [],
        "decision_color": DECISION_COLORS.get(verdict.decision, "secondary") if verdict else "",
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "web/dedup/test.html", context, status=status)
