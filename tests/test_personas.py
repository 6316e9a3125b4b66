"""Personas: the fit criteria, automatic matching (best fit, hand-picked kept), re-matching
by the worker, and the persona pages and contact panel."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.contacts import services as contact_services
from renkei.contacts.choices import EmployeeBand, Industry, Prefecture, Region
from renkei.core.models import AuditLog, ScheduledJob
from renkei.core.scheduler import enqueue_due_jobs
from renkei.marketing import personas
from renkei.marketing.models import Persona, PersonaMatch
from renkei.marketing.tasks import match_recent_personas
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def persona_of(contact) -> Persona | None:
    match = PersonaMatch.objects.filter(contact=contact).first()
    return match.persona if match else None


@pytest.fixture
def it_manager(marketer) -> Persona:
    return personas.create_persona(
        actor=marketer,
        name="製造業の情シス責任者",
        industries=[Industry.MANUFACTURING],
        employee_bands=[EmployeeBand.B300_999, EmployeeBand.B1000_4999],
        department_keywords="情報システム, ＩＴ",
        title_keywords="部長\n課長",
    )


@pytest.fixture
def maker() -> object:
    return make_account(
        name="株式会社東海精機",
        industry=Industry.MANUFACTURING,
        employee_band=EmployeeBand.B300_999,
        prefecture=Prefecture.AICHI,
    )


def test_a_contact_meeting_every_criterion_is_matched(it_manager, maker):
    contact = make_contact(account=maker, department="情報システム部", title="部長")
    personas.match_personas()
    assert persona_of(contact) == it_manager


def test_keywords_match_whatever_the_width_and_case(it_manager, maker):
    contact = make_contact(account=maker, department="IT推進室", title="課長代理")
    personas.match_personas([contact.pk])
    assert persona_of(contact) == it_manager


def test_one_missed_criterion_means_no_match(it_manager, maker):
    other = make_account(industry=Industry.FINANCE, employee_band=EmployeeBand.B300_999)
    wrong_industry = make_contact(account=other, department="情報システム部", title="部長")
    wrong_title = make_contact(account=maker, department="情報システム部", title="主任")
    no_account = make_contact(department="情報システム部", title="部長")
    personas.match_personas()
    assert persona_of(wrong_industry) is None
    assert persona_of(wrong_title) is None
    assert persona_of(no_account) is None


def test_the_most_specific_fitting_persona_wins(marketer, it_manager, maker):
    broad = personas.create_persona(
        actor=marketer, name="製造業の担当者", industries=[Industry.MANUFACTURING]
    )
    manager = make_contact(account=maker, department="情報システム部", title="部長")
    staff = make_contact(account=maker, department="総務部", title="")
    personas.match_personas()
    assert persona_of(manager) == it_manager
    assert persona_of(staff) == broad


def test_equally_specific_personas_go_to_the_one_created_first(marketer, maker):
    first = personas.create_persona(actor=marketer, name="東海", regions=[Region.CHUBU])
    personas.create_persona(actor=marketer, name="愛知", prefectures=[Prefecture.AICHI])
    contact = make_contact(account=maker)
    personas.match_personas()
    assert persona_of(contact) == first


def test_a_persona_without_criteria_or_inactive_matches_nobody_automatically(marketer, maker):
    personas.create_persona(actor=marketer, name="誰でも")
    personas.create_persona(
        actor=marketer, name="休止中", industries=[Industry.MANUFACTURING], is_active=False
    )
    contact = make_contact(account=maker)
    personas.match_personas()
    assert persona_of(contact) is None


def test_a_persona_chosen_by_hand_wins_and_is_kept(marketer, it_manager, maker):
    other = personas.create_persona(actor=marketer, name="経営層", title_keywords="社長")
    contact = make_contact(account=maker, department="情報システム部", title="部長")
    personas.match_personas()
    personas.choose_persona(contact, other, actor=marketer)
    personas.match_personas()
    match = PersonaMatch.objects.get(contact=contact)
    assert (match.persona, match.manual, match.actor) == (other, True, marketer)
    assert AuditLog.objects.filter(object_id=str(match.pk), actor=marketer).exists()


def test_handing_a_contact_back_to_automatic_matches_it_at_once(marketer, it_manager, maker):
    other = personas.create_persona(actor=marketer, name="経営層", title_keywords="社長")
    contact = make_contact(account=maker, department="情報システム部", title="部長")
    personas.choose_persona(contact, other, actor=marketer)
    match = personas.choose_persona(contact, None, actor=marketer)
    assert match is not None and (match.persona, match.manual) == (it_manager, False)


def test_a_contact_that_no_longer_fits_loses_its_automatic_persona(marketer, it_manager, maker):
    contact = make_contact(account=maker, department="情報システム部", title="部長")
    personas.match_personas()
    contact_services.update_contact(contact, actor=marketer, title="担当")
    personas.match_personas([contact.pk])
    assert persona_of(contact) is None


def test_saving_a_persona_rematches_every_contact_in_the_worker(
    marketer, maker, django_capture_on_commit_callbacks, settings
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    contact = make_contact(account=maker, title="部長")
    with django_capture_on_commit_callbacks(execute=True):
        persona = personas.create_persona(actor=marketer, name="部長", title_keywords="部長")
    assert persona_of(contact) == persona
    with django_capture_on_commit_callbacks(execute=True):
        personas.update_persona(persona, actor=marketer, title_keywords="社長")
    assert persona_of(contact) is None


def test_the_periodic_job_matches_recently_edited_contacts(marketer, it_manager, maker, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    contact = make_contact(account=maker, department="情報システム部", title="部長")
    assert persona_of(contact) is None  # not matched yet: the worker does it
    ScheduledJob.objects.filter(name="marketing.match_recent_personas").delete()
    assert "marketing.match_recent_personas" in enqueue_due_jobs()
    assert persona_of(contact) == it_manager


def test_the_periodic_job_leaves_contacts_untouched_for_long(it_manager, maker):
    contact = make_contact(account=maker, department="情報システム部", title="部長")
    from renkei.contacts.models import Account, Contact

    old = timezone.now() - dt.timedelta(days=2)
    Contact.objects.filter(pk=contact.pk).update(updated_at=old)
    Account.objects.filter(pk=maker.pk).update(updated_at=old)
    assert match_recent_personas.call() == 0
    assert persona_of(contact) is None


def test_unknown_choices_are_refused(marketer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        personas.create_persona(actor=marketer, name="x", industries=["space"])
    assert "industries" in err.value.message_dict


# --- pages ----------------------------------------------------------------------------
def test_marketing_creates_a_persona_through_the_page(client_for, marketer):
    response = client_for(marketer).post(
        reverse("marketing:persona_new"),
        {
            "name": "関西の中堅製造業",
            "description": "工場のDXを任された課長",
            "pains": "紙の日報",
            "industries": ["manufacturing"],
            "employee_bands": ["300-999"],
            "department_keywords": "生産管理",
            "title_keywords": "",
            "regions": ["kinki"],
            "prefectures": [],
            "is_active": "on",
        },
    )
    persona = Persona.objects.get(name="関西の中堅製造業")
    assert response.status_code == 302
    assert response["Location"] == reverse("marketing:persona_detail", args=[persona.pk])
    assert persona.regions == ["kinki"] and persona.department_keyword_list == ["生産管理"]
    page = client_for(marketer).get(response["Location"]).content.decode()
    assert "紙の日報" in page and "Kinki" in page


def test_the_persona_form_shows_errors_for_bad_input(client_for, marketer):
    response = client_for(marketer).post(
        reverse("marketing:persona_new"), {"name": "", "industries": ["space"]}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert "Select a valid choice." in html
    assert not Persona.objects.exists()


def test_persona_pages_are_for_marketing(client_for, inside_rep, it_manager):
    client = client_for(inside_rep)
    assert client.get(reverse("marketing:personas")).status_code == 403
    assert client.get(reverse("marketing:persona_detail", args=[it_manager.pk])).status_code == 403
    assert client.post(reverse("marketing:persona_rematch")).status_code == 403


def test_the_persona_list_and_detail_show_matched_contacts(client_for, marketer, it_manager, maker):
    contact = make_contact(account=maker, department="情報システム部", title="部長")
    personas.match_personas()
    listing = client_for(marketer).get(reverse("marketing:personas")).content.decode()
    assert "製造業の情シス責任者" in listing
    detail = client_for(marketer).get(reverse("marketing:persona_detail", args=[it_manager.pk]))
    assert contact.full_name in detail.content.decode()


def test_deleting_a_persona_asks_first_then_removes_its_matches(
    client_for, marketer, it_manager, maker
):
    contact = make_contact(account=maker, department="情報システム部", title="部長")
    personas.match_personas()
    url = reverse("marketing:persona_delete", args=[it_manager.pk])
    assert "Delete the persona" in client_for(marketer).get(url).content.decode()
    assert client_for(marketer).post(url).status_code == 302
    assert not Persona.objects.exists() and persona_of(contact) is None


def test_the_contact_page_shows_the_persona_and_why(client_for, marketer, it_manager, maker):
    contact = make_contact(account=maker, department="情報システム部", title="部長")
    personas.match_personas()
    html = client_for(marketer).get(reverse("web:contact_detail", args=[contact.pk])).content
    html = html.decode()
    assert 'id="persona-panel"' in html
    assert "製造業の情シス責任者" in html and "Matched automatically" in html
    assert "Automatic (best fit)" in html


def test_choosing_a_persona_on_the_contact_page(client_for, marketer, it_manager, maker):
    contact = make_contact(account=maker)
    response = client_for(marketer).post(
        reverse("marketing:contact_persona", args=[contact.pk]), {"persona": it_manager.pk}
    )
    assert response.status_code == 302
    html = client_for(marketer).get(response["Location"]).content.decode()
    assert "Chosen by hand by" in html
    assert PersonaMatch.objects.get(contact=contact).manual


def test_sales_see_the_persona_but_cannot_choose_it(client_for, inside_rep, it_manager, maker):
    contact = make_contact(account=maker, department="情報システム部", title="部長")
    personas.match_personas()
    client = client_for(inside_rep)
    html = client.get(reverse("web:contact_detail", args=[contact.pk])).content.decode()
    assert "製造業の情シス責任者" in html and "Choose by hand" not in html
    url = reverse("marketing:contact_persona", args=[contact.pk])
    assert client.post(url, {"persona": it_manager.pk}).status_code == 403


def test_the_admin_lists_personas_and_saves_them_through_the_service(
    client_for, admin_user, it_manager
):
    client = client_for(admin_user)
    assert client.get("/admin/marketing/persona/").status_code == 200
    assert client.get("/admin/marketing/personamatch/").status_code == 200
    response = client.post(
        "/admin/marketing/persona/add/",
        {
            "name": "経営層",
            "description": "",
            "pains": "",
            "industries": "[]",
            "employee_bands": '["5000+"]',
            "department_keywords": "",
            "title_keywords": "社長、取締役",
            "regions": "[]",
            "prefectures": "[]",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    persona = Persona.objects.get(name="経営層")
    assert persona.title_keyword_list == ["社長", "取締役"]
    assert AuditLog.objects.filter(object_id=str(persona.pk), actor=admin_user).exists()
