"""What marketing holds about a person, for disclosure and erasure
(renkei.privacy.registry): touches, visitors (browser ids), form submissions and consent
records.

Erasure: touches stay as anonymous counts (type, time, page without its query string,
UTM values) for campaign figures, detached from the contact and the browser id, without
referrer or metadata; visitors and consent records are deleted; form submissions keep
their form, status and time (the form's counts) but lose their data and context."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from renkei.marketing.choices import FieldMapping, SubmissionStatus
from renkei.marketing.models import ConsentRecord, FormSubmission, Touch, Visitor
from renkei.marketing.schemas import parse_fields
from renkei.privacy import registry, tombstones
from renkei.privacy.choices import HitSource


def _uids(contact: Any) -> list[str]:
    return list(Visitor.objects.filter(contact=contact).values_list("uid", flat=True))


def _touches(contact: Any) -> Any:
    uids = _uids(contact)
    condition = Q(contact=contact)
    if uids:
        condition |= Q(contact__isnull=True, visitor_uid__in=uids)
    return Touch.objects.filter(condition)


def collect_touches(contact: Any) -> registry.Rows:
    return registry.rows(
        _touches(contact).order_by("at", "id"),
        ["type", "name", "at", "url", "title", "referrer", "utm_source", "utm_medium",
         "utm_campaign", "utm_term", "utm_content", "visitor_uid", "metadata"],
    )  # fmt: skip


def _bare(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def erase_touches(contact: Any, *, actor: Any) -> dict[str, int]:
    count = 0
    for touch in _touches(contact).only("id", "url"):
        Touch.objects.filter(pk=touch.pk).update(
            contact=None, visitor_uid="", url=_bare(touch.url)[:2000], referrer="", metadata={}
        )
        count += 1
    return {"anonymised": count}


def collect_visitors(contact: Any) -> registry.Rows:
    return registry.rows(
        Visitor.objects.filter(contact=contact).order_by("first_seen"),
        ["uid", "first_seen", "last_seen"],
    )


def erase_visitors(contact: Any, *, actor: Any) -> dict[str, int]:
    deleted, _detail = Visitor.objects.filter(contact=contact).delete()
    return {"deleted": deleted}


def collect_submissions(contact: Any) -> registry.Rows:
    return registry.rows(
        FormSubmission.objects.filter(contact=contact).order_by("created_at", "id"),
        ["form__name", "created_at", "data", "meta", "status"],
    )


def erase_submissions(contact: Any, *, actor: Any) -> dict[str, int]:
    count = FormSubmission.objects.filter(contact=contact).update(
        data={}, meta={}, error="", contact=None
    )
    return {"anonymised": count}


def collect_consents(contact: Any) -> registry.Rows:
    return registry.rows(
        ConsentRecord.objects.filter(contact=contact).order_by("at", "id"),
        ["form__name", "consent_text__version", "consent_text__text_ja", "given", "at", "ip"],
    )


def erase_consents(contact: Any, *, actor: Any) -> dict[str, int]:
    deleted, _detail = ConsentRecord.objects.filter(contact=contact).delete()
    return {"deleted": deleted}


def hold_if_erased(submission: FormSubmission) -> bool:
    """The form path's privacy hook: a submission with the email (or, without an email,
    the phone) of a person erased at their request is not turned into a contact. It is
    kept as received, marked processed with a note, and listed for admins on the privacy
    requests page, who decide (anyone can type someone else's address). Returns whether
    the submission was held."""
    mapped = {
        f.mapping: str(submission.data.get(f.key, ""))
        for f in parse_fields(submission.form.fields)
        if f.mapping in (FieldMapping.EMAIL, FieldMapping.PHONE)
    }
    tomb = tombstones.find_tombstone(
        email=mapped.get(FieldMapping.EMAIL, ""), phone=mapped.get(FieldMapping.PHONE, "")
    )
    if tomb is None:
        return False
    tombstones.note_hit(tomb, source=HitSource.FORM, reference=f"submission {submission.pk}")
    submission.status = SubmissionStatus.PROCESSED
    submission.error = gettext(
        "Held: the email or phone belongs to a person erased at their request. "
        "See Privacy requests."
    )
    submission.processed_at = timezone.now()
    submission.save(update_fields=["status", "error", "processed_at"])
    return True


def discard_submission_data(submission_id: int) -> bool:
    """Remove a held submission's data and context (an admin's decision on the privacy
    page); returns whether a submission without a contact was found."""
    return bool(
        FormSubmission.objects.filter(pk=submission_id, contact__isnull=True).update(
            data={}, meta={}, error=""
        )
    )


def register() -> None:
    registry.register(
        "marketing.touches", label=_("Touches"), collect=collect_touches,
        erase=erase_touches, order=300,
    )  # fmt: skip
    registry.register(
        "marketing.visitors", label=_("Visitors"), collect=collect_visitors,
        erase=erase_visitors, order=310,
    )  # fmt: skip
    registry.register(
        "marketing.form_submissions", label=_("Form submissions"),
        collect=collect_submissions, erase=erase_submissions, order=320,
    )  # fmt: skip
    registry.register(
        "marketing.consent_records", label=_("Consent records"),
        collect=collect_consents, erase=erase_consents, order=200,
    )  # fmt: skip
