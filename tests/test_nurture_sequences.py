"""Nurture sequences: steps run by the worker across business days and holidays, exits on
unsubscribe and on the exit stage, branches, notifications, and no double sending."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError

from renkei.contacts.choices import LifecycleStage
from renkei.funnel import services as funnel
from renkei.nurture import sequences, services
from renkei.nurture.audience import ContactFilterAudience
from renkei.nurture.choices import EnrollmentStatus, ExitReason
from renkei.nurture.models import Enrollment, Message
from tests.nurture_setup import configure_sender, make_template, opted_in

JST = zoneinfo.ZoneInfo("Asia/Tokyo")
# Thursday 30 April 2026; 4 to 6 May are holidays (みどりの日, こどもの日, 振替休日).
THURSDAY = dt.datetime(2026, 4, 30, 10, 0, tzinfo=JST)

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _email_settings(settings):
    settings.NURTURE_SEND_RATE = 0
    cache.clear()


@pytest.fixture
def templates(marketer):
    configure_sender()
    first = make_template(marketer, name="1通目", subject_ja="{{ family_name }}様 1通目")
    second = make_template(marketer, name="2通目", subject_ja="{{ family_name }}様 2通目")
    return first, second


def make_sequence(marketer, steps, **kwargs):
    sequence = sequences.save_sequence(
        None, actor=marketer, name="新規リード育成", steps=steps,
        exit_stage=kwargs.pop("exit_stage", LifecycleStage.MQL),
        audience=ContactFilterAudience(kwargs.pop("filters", {}), marketer),
    )  # fmt: skip
    return sequences.set_running(sequence, running=True, actor=marketer)


def run_at(moment):
    with time_machine.travel(moment, tick=False):
        sequences.run_sequences()
        services.run_delivery()


def subjects(inbox):
    return [m["Subject"] for m in inbox.messages]


def test_a_sequence_advances_across_business_days_and_holidays(smtp_server, marketer, templates):
    first, second = templates
    opted_in("tanaka@sample.example.jp", "田中")
    make_sequence(marketer, [
        {"kind": "send", "template": first.pk},
        {"kind": "wait", "days": 2},
        {"kind": "send", "template": second.pk},
    ])  # fmt: skip

    run_at(THURSDAY)
    assert subjects(smtp_server) == ["田中様 1通目"]
    enrollment = Enrollment.objects.get()
    # Friday 1 May is one business day; 4–6 May are holidays; Thursday 7 May is the second.
    assert enrollment.next_run_at == dt.datetime(2026, 5, 7, 10, 0, tzinfo=JST)

    run_at(dt.datetime(2026, 5, 6, 18, 0, tzinfo=JST))
    assert subjects(smtp_server) == ["田中様 1通目"]
    run_at(dt.datetime(2026, 5, 7, 10, 5, tzinfo=JST))
    assert subjects(smtp_server) == ["田中様 1通目", "田中様 2通目"]
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.COMPLETED


def test_a_worker_restart_does_not_send_a_step_twice(smtp_server, marketer, templates):
    first, _second = templates
    opted_in("tanaka@sample.example.jp", "田中")
    make_sequence(marketer, [{"kind": "send", "template": first.pk}])
    run_at(THURSDAY)
    # A worker that queued the message but died before saving the enrollment's progress:
    Enrollment.objects.update(step=0, status=EnrollmentStatus.ACTIVE, next_run_at=THURSDAY)
    run_at(THURSDAY + dt.timedelta(minutes=10))
    run_at(THURSDAY + dt.timedelta(minutes=20))
    assert subjects(smtp_server) == ["田中様 1通目"]
    assert Message.objects.count() == 1


def test_unsubscribing_ends_the_sequence(smtp_server, marketer, templates):
    first, second = templates
    opted_in("tanaka@sample.example.jp", "田中")
    make_sequence(marketer, [
        {"kind": "send", "template": first.pk},
        {"kind": "wait", "days": 1},
        {"kind": "send", "template": second.pk},
    ])  # fmt: skip
    run_at(THURSDAY)
    services.unsubscribe(Message.objects.get().pk)
    run_at(THURSDAY + dt.timedelta(days=1))
    assert subjects(smtp_server) == ["田中様 1通目"]
    enrollment = Enrollment.objects.get()
    assert enrollment.status == EnrollmentStatus.EXITED
    assert enrollment.exit_reason == ExitReason.UNSUBSCRIBED


def test_becoming_an_mql_ends_the_sequence(smtp_server, marketer, templates):
    first, second = templates
    contact = opted_in("tanaka@sample.example.jp", "田中")
    make_sequence(marketer, [
        {"kind": "send", "template": first.pk},
        {"kind": "wait", "days": 1},
        {"kind": "send", "template": second.pk},
    ])  # fmt: skip
    run_at(THURSDAY)
    funnel.change_stage(contact, to_stage=LifecycleStage.MQL, actor=marketer)
    run_at(THURSDAY + dt.timedelta(days=1))
    assert subjects(smtp_server) == ["田中様 1通目"]
    assert Enrollment.objects.get().exit_reason == ExitReason.STAGE_REACHED


def test_only_eligible_contacts_before_the_exit_stage_are_enrolled(marketer, templates):
    first, _second = templates
    opted_in("yes@sample.example.jp", "可")
    opted_in("no@sample.example.jp", "否", consent=False)
    mql = opted_in("mql@sample.example.jp", "済")
    funnel.change_stage(mql, to_stage=LifecycleStage.MQL, actor=marketer)
    make_sequence(marketer, [{"kind": "send", "template": first.pk}])
    run_at(THURSDAY)
    assert list(Enrollment.objects.values_list("contact__email", flat=True)) == [
        "yes@sample.example.jp"
    ]


def test_a_branch_continues_only_for_contacts_who_opened(smtp_server, marketer, templates):
    first, second = templates
    opener = opted_in("open@sample.example.jp", "開封")
    opted_in("quiet@sample.example.jp", "未開封")
    make_sequence(marketer, [
        {"kind": "send", "template": first.pk},
        {"kind": "wait", "days": 1},
        {"kind": "branch", "condition": "opened", "otherwise": 0},
        {"kind": "send", "template": second.pk},
    ])  # fmt: skip
    run_at(THURSDAY)
    services.record_open(Message.objects.get(contact=opener).pk)
    run_at(dt.datetime(2026, 5, 1, 11, 0, tzinfo=JST))
    assert sorted(subjects(smtp_server)) == sorted(
        ["開封様 1通目", "開封様 2通目", "未開封様 1通目"]
    )
    quiet = Enrollment.objects.get(contact__email="quiet@sample.example.jp")
    assert quiet.exit_reason == ExitReason.CONDITION


def test_a_notify_step_emails_the_contacts_owner(smtp_server, marketer, inside_rep, templates):
    from renkei.contacts import services as contact_services

    contact = opted_in("tanaka@sample.example.jp", "田中")
    contact_services.update_contact(contact, actor=marketer, owner=inside_rep)
    make_sequence(marketer, [{"kind": "notify", "note": "資料を2回ダウンロードしました"}])
    run_at(THURSDAY)
    [mail] = smtp_server.messages
    assert mail["X-Envelope-To"] == inside_rep.email
    assert "資料を2回ダウンロードしました" in mail.get_content()
    assert f"/contacts/{contact.pk}/" in mail.get_content()


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "Add at least one step."),
        ([{"kind": "send", "template": 999999}], "Step 1: choose a template."),
        ([{"kind": "wait", "days": 0}], "Step 1 is not valid."),
        (
            [
                {"kind": "wait", "days": 1},
                {"kind": "branch", "condition": "opened", "otherwise": 1},
            ],
            "Step 2: “otherwise” must go to a later step, or leave.",
        ),
        ([{"kind": "branch", "condition": "stage"}], "Step 1: choose the stage."),
    ],
)
def test_invalid_steps_are_clear_errors(marketer, steps, message):
    with pytest.raises(ValidationError) as caught:
        sequences.save_sequence(None, actor=marketer, name="x", steps=steps, exit_stage="mql")
    assert message in caught.value.messages


def test_stopping_a_sequence_ends_its_enrollments(smtp_server, marketer, templates):
    first, second = templates
    opted_in("tanaka@sample.example.jp", "田中")
    sequence = make_sequence(marketer, [
        {"kind": "send", "template": first.pk},
        {"kind": "wait", "days": 1},
        {"kind": "send", "template": second.pk},
    ])  # fmt: skip
    run_at(THURSDAY)
    sequences.set_running(sequence, running=False, actor=marketer)
    run_at(THURSDAY + dt.timedelta(days=2))
    assert subjects(smtp_server) == ["田中様 1通目"]
    assert Enrollment.objects.get().exit_reason == ExitReason.STOPPED


def test_a_sequence_is_built_started_and_followed_on_its_pages(
    client, smtp_server, marketer, inside_rep, templates
):
    first, _second = templates
    opted_in("tanaka@sample.example.jp", "田中")
    client.force_login(inside_rep)
    assert client.get("/email/sequences/").status_code == 403
    client.force_login(marketer)
    form = {
        "name": "資料請求フォロー",
        "exit_stage": "mql",
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-0-kind": "send",
        "steps-0-template": str(first.pk),
        "steps-1-kind": "wait",
        "steps-1-days": "",
        "steps-2-kind": "",
    }
    response = client.post("/email/sequences/new/?q=田中", form)
    assert response.status_code == 200
    assert "How many business days?" in response.content.decode()
    form["steps-1-days"] = "3"
    response = client.post("/email/sequences/new/?q=田中", form)
    assert response.status_code == 302
    detail = response["Location"]
    page = client.get(detail).content.decode()
    assert "Send “1通目”" in page and "Wait 3 business days" in page
    assert client.post(detail + "run/", {"running": "1"}).status_code == 302
    run_at(THURSDAY)
    page = client.get(detail).content.decode()
    assert "田中" in page and "Waiting 3 business days." in page
    assert client.get("/email/sequences/").status_code == 200
    edit = client.get(detail + "edit/").content.decode()
    assert 'value="3"' in edit


def test_sent_emails_and_sequence_steps_show_on_the_contacts_timeline(
    client, smtp_server, marketer, templates
):
    first, _second = templates
    contact = opted_in("tanaka@sample.example.jp", "田中")
    make_sequence(marketer, [{"kind": "send", "template": first.pk}, {"kind": "wait", "days": 2}])
    run_at(THURSDAY)
    client.force_login(marketer)
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Sent the email 1通目" in page
    assert "Sequence 新規リード育成: Waiting 2 business days." in page


def test_merging_two_contacts_who_got_the_same_send_and_sequence_keeps_both_records(
    smtp_server, marketer, templates
):
    from renkei.contacts.dedup.services import merge_contacts
    from renkei.nurture.merging import prepare_email_merge
    from renkei.nurture.models import EnrollmentEvent, LawfulException

    first, _second = templates
    survivor = opted_in("tanaka@sample.example.jp", "田中")
    duplicate = opted_in("t.tanaka@other.example.jp", "田中", given_name="太郎")
    services.record_lawful_exception(
        duplicate, basis="business_card", evidence="展示会 名刺", actor=marketer
    )
    make_sequence(marketer, [{"kind": "send", "template": first.pk}, {"kind": "wait", "days": 2}])
    run_at(THURSDAY)
    assert Message.objects.count() == 2

    # merge_contacts runs the registered preparers itself where the contacts app has them;
    # running it first here is harmless (a second run finds nothing left to resolve).
    prepare_email_merge(survivor, duplicate)
    merge_contacts(survivor, duplicate, actor=marketer)

    assert Message.objects.filter(contact=survivor).count() == 1
    assert Message.objects.filter(contact__isnull=True).count() == 1  # the other address
    assert Enrollment.objects.get().contact == survivor
    assert EnrollmentEvent.objects.filter(enrollment__contact=survivor).count() == 4
    assert LawfulException.objects.get().contact == survivor
