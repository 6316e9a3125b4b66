"""Nurture sequences: their steps, enrollment, and the engine the worker runs.

A sequence is a list of steps, numbered from 1 on the pages:

- send     — queue the template for the contact (a message of the step's EmailSend, unique
             per contact, delivered by the same worker path as one-off sends);
- wait     — wait N business days of the organisation's calendar (weekends, Japanese public
             holidays, the year-end closing and its own closed days do not count);
- branch   — continue only if the contact opened / clicked an email of this sequence, or
             reached a stage; otherwise jump forward to another step, or leave;
- notify   — email a colleague (the contact's owner, or a chosen user) about the contact.

Before every step the contact leaves the sequence if it is suppressed or opted out
(unsubscribed) or reached the exit stage (an MQL, or later: an appointment is SQL).
Steps run at most once per contact for sends (the message row is unique per send and
contact, so a worker restart does not resend); a notify step interrupted by a crash may
notify twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic import ValidationError as PydanticError

from renkei.contacts.choices import LifecycleStage
from renkei.contacts.models import Contact
from renkei.core import audit
from renkei.core.calendar import BusinessCalendar
from renkei.core.choices import AuditAction
from renkei.core.models import Organisation, User
from renkei.nurture import links, services
from renkei.nurture.audience import Audience
from renkei.nurture.choices import (
    BranchCondition,
    EnrollmentStatus,
    ExitReason,
    MessageStatus,
    SendStatus,
    SkipReason,
)
from renkei.nurture.models import (
    EmailSend,
    EmailTemplate,
    Enrollment,
    EnrollmentEvent,
    Message,
    Sequence,
)

logger = logging.getLogger(__name__)

CLAIM_FOR = dt.timedelta(minutes=5)
MAX_STEPS = 30


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SendStep(_Step):
    kind: Literal["send"]
    template: int


class WaitStep(_Step):
    kind: Literal["wait"]
    days: int = Field(ge=1, le=90)


class BranchStep(_Step):
    kind: Literal["branch"]
    condition: BranchCondition
    stage: LifecycleStage | None = None
    otherwise: int = Field(0, ge=0, description="step number to jump to; 0 leaves")


class NotifyStep(_Step):
    kind: Literal["notify"]
    user: int | None = None  # None: the contact's owner
    note: str = Field("", max_length=300)


Step = Annotated[SendStep | WaitStep | BranchStep | NotifyStep, Field(discriminator="kind")]
_STEPS = TypeAdapter(list[Step])


def parse_steps(raw: list[dict[str, Any]]) -> list[Step]:
    """Validated steps, or ValidationError with one translated message per problem."""
    try:
        steps = _STEPS.validate_python(raw)
    except PydanticError as exc:
        problems = []
        for error in exc.errors(include_url=False, include_input=False):
            where = error["loc"][0] if error["loc"] else 0
            number = where + 1 if isinstance(where, int) else 1
            problems.append(_("Step %(n)d is not valid.") % {"n": number})
        raise ValidationError(sorted(set(problems))) from exc
    problems = []
    if not steps:
        problems.append(_("Add at least one step."))
    if len(steps) > MAX_STEPS:
        problems.append(_("At most %(n)d steps.") % {"n": MAX_STEPS})
    templates = set(EmailTemplate.objects.values_list("pk", flat=True))
    users = set(User.objects.filter(is_active=True).values_list("pk", flat=True))
    for number, step in enumerate(steps, start=1):
        if isinstance(step, SendStep) and step.template not in templates:
            problems.append(_("Step %(n)d: choose a template.") % {"n": number})
        if isinstance(step, BranchStep):
            if step.condition == BranchCondition.STAGE and step.stage is None:
                problems.append(_("Step %(n)d: choose the stage.") % {"n": number})
            if step.otherwise and not number < step.otherwise <= len(steps):
                problems.append(
                    _("Step %(n)d: “otherwise” must go to a later step, or leave.") % {"n": number}
                )
        if isinstance(step, NotifyStep) and step.user is not None and step.user not in users:
            problems.append(_("Step %(n)d: choose an active user.") % {"n": number})
    if problems:
        raise ValidationError(problems)
    return steps


# --- writes ---------------------------------------------------------------------------
@transaction.atomic
def save_sequence(
    sequence: Sequence | None,
    *,
    actor: User,
    name: str,
    steps: list[dict[str, Any]],
    exit_stage: str,
    audience: Audience | None = None,
) -> Sequence:
    parsed = parse_steps(steps)
    if sequence is None:
        sequence = Sequence(created_at=timezone.now(), created_by=actor)
        action = AuditAction.CREATE
        before: dict[str, Any] = {}
    else:
        sequence = Sequence.objects.select_for_update().get(pk=sequence.pk)
        action = AuditAction.UPDATE
        before = audit.snapshot(sequence)
    sequence.name = name.strip()
    sequence.exit_stage = exit_stage
    sequence.steps = [s.model_dump(mode="json") for s in parsed]
    if audience is None and not sequence.audience:
        from renkei.nurture.audience import ContactFilterAudience

        audience = ContactFilterAudience({}, actor)
    if audience is not None:
        sequence.audience = audience.to_json()
        sequence.audience_label = audience.describe()[:300]
    sequence.full_clean(exclude=["created_at", "created_by"])
    sequence.save()
    audit.record(
        sequence, action=action, actor=actor, changes=audit.diff(before, audit.snapshot(sequence))
    )
    return sequence


@transaction.atomic
def set_running(sequence: Sequence, *, running: bool, actor: User) -> Sequence:
    """Start (enrolls matching contacts from now on) or stop (active enrollments exit)."""
    if running:
        services.check_sender_or_error()
    sequence = Sequence.objects.select_for_update().get(pk=sequence.pk)
    before = sequence.is_active
    sequence.is_active = running
    sequence.save(update_fields=["is_active", "updated_at"])
    if not running:
        now = timezone.now()
        sequence.enrollments.filter(status=EnrollmentStatus.ACTIVE).update(
            status=EnrollmentStatus.EXITED, exit_reason=ExitReason.STOPPED, finished_at=now
        )
        Message.objects.filter(send__sequence=sequence, status=MessageStatus.QUEUED).update(
            status=MessageStatus.SKIPPED, skip_reason=SkipReason.CANCELLED
        )
    audit.record(sequence, action=AuditAction.UPDATE, actor=actor,
                 changes={"is_active": [before, running]})  # fmt: skip
    if running:
        from renkei.nurture.tasks import run_sequences

        transaction.on_commit(lambda: run_sequences.enqueue())
    return sequence


def enroll_matching(sequence: Sequence, *, now: dt.datetime | None = None) -> int:
    """Enroll the audience's contacts that may receive marketing email, are before the exit
    stage, and were never enrolled in this sequence; returns how many were enrolled."""
    from renkei.nurture import audience as audiences

    now = now or timezone.now()
    exit_rank = LifecycleStage.rank(sequence.exit_stage)
    before_exit = [s for s in LifecycleStage.values if LifecycleStage.rank(s) < exit_rank]
    contacts = list(
        audiences.load(sequence.audience)
        .contacts()
        .filter(lifecycle_stage__in=before_exit)
        .exclude(sequence_enrollments__sequence=sequence)
        .only("pk", "email", "consent_status")[:5000]
    )
    checks = services.eligibility(contacts)
    rows = [
        Enrollment(sequence=sequence, contact_id=c.pk, step=0, next_run_at=now, enrolled_at=now)
        for c in contacts
        if not checks[c.pk].skip_reason
    ]
    Enrollment.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _event(enrollment: Enrollment, step: int | None, detail: str, now: dt.datetime) -> None:
    EnrollmentEvent.objects.create(enrollment=enrollment, at=now, step=step, detail=detail[:300])


def _step_send(sequence: Sequence, index: int, template_id: int, now: dt.datetime) -> EmailSend:
    send = EmailSend.objects.filter(sequence=sequence, step=index).first()
    if send is None:
        template = EmailTemplate.objects.get(pk=template_id)
        send, _created = EmailSend.objects.get_or_create(
            sequence=sequence,
            step=index,
            defaults={
                "name": f"{sequence.name} #{index + 1}"[:200],
                "template": template,
                "audience": {"kind": "sequence", "sequence": sequence.pk},
                "audience_label": (_("Sequence: %(name)s") % {"name": sequence.name})[:300],
                "status": SendStatus.SENDING,
                "scheduled_at": now,
                "started_at": now,
                "created_at": now,
            },
        )
    return send


def _exit_reason(enrollment: Enrollment, contact: Contact) -> str:
    if LifecycleStage.rank(contact.lifecycle_stage) >= LifecycleStage.rank(
        enrollment.sequence.exit_stage
    ):
        return ExitReason.STAGE_REACHED
    check = services.eligibility([contact])[contact.pk]
    if check.skip_reason:
        return ExitReason.UNSUBSCRIBED
    return ""


def _condition_met(step: BranchStep, enrollment: Enrollment, contact: Contact) -> bool:
    messages = Message.objects.filter(send__sequence=enrollment.sequence, contact=contact)
    if step.condition == BranchCondition.OPENED:
        return messages.filter(opened_at__isnull=False).exists()
    if step.condition == BranchCondition.CLICKED:
        return messages.filter(clicked_at__isnull=False).exists()
    assert step.stage is not None
    return LifecycleStage.rank(contact.lifecycle_stage) >= LifecycleStage.rank(step.stage)


def _notify(step: NotifyStep, contact: Contact, sequence: Sequence) -> str:
    user = User.objects.filter(pk=step.user).first() if step.user else contact.owner
    if user is None or not user.email:
        return _("Nobody to notify (no owner or no email address).")
    with translation.override(user.language or Organisation.current().default_language):
        subject = _("[Renkei] %(contact)s in the sequence “%(sequence)s”") % {
            "contact": f"{contact.family_name} {contact.given_name}".strip(),
            "sequence": sequence.name,
        }
        body = "\n\n".join(
            part
            for part in (
                step.note,
                _("Contact: %(url)s") % {"url": links.absolute(f"/contacts/{contact.pk}/")},
            )
            if part
        )
    EmailMessage(subject=subject, body=body, to=[user.email]).send(using="default")
    return _("Notified %(user)s.") % {"user": user.display_name}


def advance(enrollment_id: int, *, now: dt.datetime | None = None) -> bool:
    """Run the due steps of one enrollment until a wait or the end. Claimed with a
    conditional UPDATE, so two workers never run the same enrollment at once."""
    now = now or timezone.now()
    claimed = (
        Enrollment.objects.filter(
            pk=enrollment_id, status=EnrollmentStatus.ACTIVE, next_run_at__lte=now
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR)
    )
    if not claimed:
        return False
    enrollment = Enrollment.objects.select_related("sequence", "contact__owner").get(
        pk=enrollment_id
    )
    sequence, contact = enrollment.sequence, enrollment.contact
    steps = parse_steps_lenient(sequence.steps)  # checked when saved
    calendar = BusinessCalendar.for_organisation()
    for _guard in range(MAX_STEPS + 1):
        reason = _exit_reason(enrollment, contact)
        if reason:
            enrollment.status, enrollment.exit_reason = EnrollmentStatus.EXITED, reason
            _event(enrollment, None, str(ExitReason(reason).label), now)
            break
        if enrollment.step >= len(steps):
            enrollment.status = EnrollmentStatus.COMPLETED
            _event(enrollment, None, _("Completed the sequence."), now)
            break
        index, step = enrollment.step, steps[enrollment.step]
        if isinstance(step, SendStep):
            send = _step_send(sequence, index, step.template, now)
            language = services.contact_languages([contact.pk]).get(
                contact.pk, Organisation.current().default_language
            )
            Message.objects.bulk_create(
                [Message(send=send, contact=contact, email=services.normalize_email(contact.email),
                         language=language, status=MessageStatus.QUEUED,
                         lawful_basis=services.eligibility([contact])[contact.pk].basis)],
                ignore_conflicts=True,
            )  # fmt: skip
            _event(enrollment, index, _("Queued “%(t)s”.") % {"t": send.template.name}, now)
            enrollment.step += 1
        elif isinstance(step, WaitStep):
            enrollment.step += 1
            enrollment.next_run_at = calendar.add_business_days(now, step.days)
            _event(enrollment, index, _("Waiting %(n)d business days.") % {"n": step.days}, now)
            break
        elif isinstance(step, BranchStep):
            if _condition_met(step, enrollment, contact):
                enrollment.step += 1
                _event(enrollment, index, _("Condition met."), now)
            elif step.otherwise:
                enrollment.step = step.otherwise - 1
                _event(enrollment, index, _("Condition not met: on to step %(n)d.")
                       % {"n": step.otherwise}, now)  # fmt: skip
            else:
                enrollment.status = EnrollmentStatus.EXITED
                enrollment.exit_reason = ExitReason.CONDITION
                _event(enrollment, index, str(ExitReason.CONDITION.label), now)
                break
        else:
            _event(enrollment, index, _notify(step, contact, sequence), now)
            enrollment.step += 1
    if enrollment.status != EnrollmentStatus.ACTIVE:
        enrollment.finished_at = now
        enrollment.next_run_at = None
    enrollment.claimed_until = None
    enrollment.save(
        update_fields=[
            "status",
            "exit_reason",
            "step",
            "next_run_at",
            "claimed_until",
            "finished_at",
        ]
    )
    return True


def run_sequences(*, now: dt.datetime | None = None, limit: int = 2000) -> int:
    """The worker's job: enroll new contacts in running sequences, then advance the due
    enrollments; returns how many enrollments were advanced."""
    now = now or timezone.now()
    for sequence in Sequence.objects.filter(is_active=True):
        enroll_matching(sequence, now=now)
    due = list(
        Enrollment.objects.filter(
            status=EnrollmentStatus.ACTIVE, next_run_at__lte=now, sequence__is_active=True
        )
        .order_by("next_run_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    advanced = 0
    for pk in due:
        try:
            advanced += advance(pk, now=now)
        except Exception:  # one broken enrollment must not stop the others; retried later
            logger.exception("enrollment %s could not advance", pk)
    return advanced


def describe(raw_steps: list[dict[str, Any]]) -> list[str]:
    """Each step in words, for the sequence's page."""
    templates = dict(EmailTemplate.objects.values_list("pk", "name"))
    users = {u.pk: u.display_name for u in User.objects.all()}
    lines = []
    for step in parse_steps_lenient(raw_steps):
        if isinstance(step, SendStep):
            lines.append(_("Send “%(t)s”") % {"t": templates.get(step.template, "?")})
        elif isinstance(step, WaitStep):
            lines.append(_("Wait %(n)d business days") % {"n": step.days})
        elif isinstance(step, BranchStep):
            if step.condition == BranchCondition.STAGE and step.stage:
                condition = _("reached %(stage)s") % {"stage": LifecycleStage(step.stage).label}
            else:
                condition = str(BranchCondition(step.condition).label)
            target = (
                _("go to step %(n)d") % {"n": step.otherwise}
                if step.otherwise
                else _("leave the sequence")
            )
            lines.append(
                _("Continue if the contact %(condition)s; otherwise %(target)s")
                % {"condition": condition, "target": target}
            )
        else:
            who = users.get(step.user, "?") if step.user else _("the contact's owner")
            lines.append(_("Notify %(who)s") % {"who": who})
    return lines


def parse_steps_lenient(raw_steps: list[dict[str, Any]]) -> list[Step]:
    """Stored steps without the checks against current templates and users."""
    return _STEPS.validate_python(raw_steps)
