from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from renkei.core import audit
from renkei.core.calendar import BusinessCalendar
from renkei.core.models import AuditLog, ClosedDay, Organisation
from renkei.core.services import add_closed_day, remove_closed_day, update_organisation

pytestmark = pytest.mark.django_db


def test_the_organisation_starts_with_japanese_defaults():
    org = Organisation.current()
    assert org.time_zone == "Asia/Tokyo"
    assert org.fiscal_year_start_month == 4
    assert org.workdays == [0, 1, 2, 3, 4]
    assert (org.business_day_start, org.business_day_end) == (dt.time(9), dt.time(18))


def test_updating_settings_is_audited(admin_user):
    org = update_organisation(
        actor=admin_user, name="連携テクノロジー株式会社", workdays=[0, 1, 2, 3, 4, 5]
    )
    assert org.workdays == [0, 1, 2, 3, 4, 5]
    entry = audit.history(org).get()
    assert entry.changes["name"] == ["", "連携テクノロジー株式会社"]
    assert BusinessCalendar.for_organisation().is_business_day(dt.date(2026, 11, 28))  # a Saturday


def test_a_business_day_that_ends_before_it_starts_is_refused(admin_user):
    with pytest.raises(ValidationError) as err:
        update_organisation(actor=admin_user, business_day_end=dt.time(8, 0))
    assert "business_day_end" in err.value.message_dict
    assert Organisation.current().business_day_end == dt.time(18, 0)


def test_an_impossible_fiscal_year_start_month_is_refused(admin_user):
    with pytest.raises(ValidationError):
        update_organisation(actor=admin_user, fiscal_year_start_month=13)


def test_closed_days_are_added_and_removed_with_an_audit_trail(admin_user):
    day = add_closed_day(actor=admin_user, date=dt.date(2027, 8, 13), name="夏季休暇")
    assert not BusinessCalendar.for_organisation().is_business_day(dt.date(2027, 8, 13))
    with pytest.raises(ValidationError):
        add_closed_day(actor=admin_user, date=dt.date(2027, 8, 13), name="重複")
    day_id = day.pk
    remove_closed_day(day, actor=admin_user)
    assert not ClosedDay.objects.exists()
    actions = AuditLog.objects.filter(object_id=str(day_id), object_repr__contains="夏季休暇")
    assert sorted(actions.values_list("action", flat=True)) == ["create", "delete"]
