from __future__ import annotations

import pytest

from renkei.contacts.models import Account
from renkei.core.choices import Role
from renkei.core.models import AuditLog, User
from tests.factories import make_account, make_contact

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "core/user",
        "core/team",
        "core/organisation",
        "core/closedday",
        "core/auditlog",
        "core/apitoken",
        "contacts/account",
        "contacts/contact",
        "funnel/stagechange",
        "funnel/statuschange",
    ],
)
def test_every_model_has_an_admin_list_for_administrators(client_for, admin_user, model):
    make_contact(account=make_account())
    response = client_for(admin_user).get(f"/admin/{model}/")
    assert response.status_code == 200


def test_funnel_events_and_the_audit_log_are_read_only(client_for, admin_user):
    contact = make_contact()
    client = client_for(admin_user)
    change = contact.stage_changes.get()
    assert client.get("/admin/funnel/stagechange/add/").status_code == 403
    page = client.get(f"/admin/funnel/stagechange/{change.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(f"/admin/funnel/stagechange/{change.pk}/delete/").status_code == 403
    entry = AuditLog.objects.first()
    assert client.get(f"/admin/core/auditlog/{entry.pk}/delete/").status_code == 403


def test_an_account_saved_in_the_admin_goes_through_the_service(client_for, admin_user):
    account = make_account(name="株式会社旧")
    response = client_for(admin_user).post(
        f"/admin/contacts/account/{account.pk}/change/",
        {"name": "株式会社新", "name_kana": "", "corporate_number": "", "website": "",
         "domain": "", "industry": "", "employee_band": "", "prefecture": "13", "owner": ""},
    )  # fmt: skip
    assert response.status_code == 302
    account = Account.objects.get(pk=account.pk)
    assert (account.name, account.region) == ("株式会社新", "kanto")
    assert AuditLog.objects.filter(object_id=str(account.pk), action="update").exists()


def test_giving_a_user_the_admin_role_in_the_admin_makes_them_staff(client_for, admin_user):
    user = User.objects.create_user(username="newadmin", password="x-long-password-1")
    client_for(admin_user).post(
        f"/admin/core/user/{user.pk}/change/",
        {
            "username": "newadmin",
            "last_name": "",
            "first_name": "",
            "email": "",
            "language": "",
            "role": Role.ADMIN,
            "team": "",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
        },
    )
    user.refresh_from_db()
    assert (user.role, user.is_staff) == (Role.ADMIN, True)


def test_a_staff_user_without_the_admin_role_may_not_use_the_admin(client_for, manager):
    manager.is_staff = True
    manager.save()
    response = client_for(manager).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
