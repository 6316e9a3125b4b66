from __future__ import annotations

import datetime as dt

import pytest

from renkei.core.models import ClosedDay, Organisation

pytestmark = pytest.mark.django_db

VALID = {
    "name": "連携テクノロジー株式会社",
    "time_zone": "Asia/Tokyo",
    "default_language": "ja",
    "fiscal_year_start_month": "4",
    "business_day_start": "09:30",
    "business_day_end": "18:30",
    "workdays": ["0", "1", "2", "3", "4"],
    "observe_public_holidays": "on",
    "close_year_end": "on",
}


def test_only_admins_may_open_the_settings(client, manager, admin_user):
    client.force_login(manager)
    assert client.get("/settings/").status_code == 403
    client.force_login(admin_user)
    page = client.get("/settings/")
    assert page.status_code == 200
    # The preview lists the coming public holidays by their Japanese names.
    assert "元日" in page.content.decode()


def test_an_admin_saves_the_business_hours(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/settings/", VALID)
    assert response.status_code == 302
    org = Organisation.current()
    assert org.business_day_start == dt.time(9, 30)
    assert org.name == "連携テクノロジー株式会社"


def test_hours_that_end_before_they_start_are_refused_with_a_message(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/settings/", {**VALID, "business_day_end": "08:00"})
    assert response.status_code == 422
    assert Organisation.current().business_day_end == dt.time(18, 0)


def test_an_admin_adds_and_removes_a_closed_day(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/settings/closed-days/", {"date": "2027-08-13", "name": "夏季休暇"})
    assert response.status_code == 302
    day = ClosedDay.objects.get()
    assert day.name == "夏季休暇"
    duplicate = client.post("/settings/closed-days/", {"date": "2027-08-13", "name": "重複"})
    assert duplicate.status_code == 422
    assert client.post(f"/settings/closed-days/{day.pk}/remove/").status_code == 302
    assert not ClosedDay.objects.exists()


def test_removing_needs_a_post(client, admin_user):
    client.force_login(admin_user)
    day = ClosedDay.objects.create(date=dt.date(2027, 8, 14), name="夏季休暇")
    assert client.get(f"/settings/closed-days/{day.pk}/remove/").status_code == 405
    assert ClosedDay.objects.exists()
